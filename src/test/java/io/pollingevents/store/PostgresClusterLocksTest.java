package io.pollingevents.store;

import io.pollingevents.support.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Two engines' cluster locks on one PostgreSQL: a lock one holds the other cannot take until it is given back. */
class PostgresClusterLocksTest {
    Postgres pg;
    Database nodeA;
    Database nodeB;

    @BeforeEach
    void start() throws Exception {
        pg = Postgres.freshSchema();
        nodeA = Database.open(pg.jdbcUrl(), Postgres.USER, "", 3);
        nodeB = Database.open(pg.jdbcUrl(), Postgres.USER, "", 3);
    }

    @AfterEach
    void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        pg.close();
    }

    @Test
    void aLockIsHeldByOneNodeAtATime() throws Exception {
        PostgresClusterLocks a = new PostgresClusterLocks(nodeA.dataSource(), 7_500);
        PostgresClusterLocks b = new PostgresClusterLocks(nodeB.dataSource(), 7_500);

        Optional<AutoCloseable> held = a.tryLock("vendor place sr k GET /candidates #0");
        assertThat(held).isPresent();
        assertThat(b.tryLock("vendor place sr k GET /candidates #0")).isEmpty();
        Optional<AutoCloseable> other = b.tryLock("vendor place sr k GET /jobs #0");
        assertThat(other).isPresent();

        held.get().close();
        Optional<AutoCloseable> now = b.tryLock("vendor place sr k GET /candidates #0");
        assertThat(now).isPresent();
        now.get().close();
        other.get().close();
    }

    @Test
    void liveNodesCountsRecentCheckInsAndIsOneWithout() throws Exception {
        PostgresClusterLocks locks = new PostgresClusterLocks(nodeA.dataSource(), 7_500);
        assertThat(locks.liveNodes()).isEqualTo(1);

        PostgresPartitionLeases checkIns = new PostgresPartitionLeases(nodeB.dataSource());
        checkIns.checkIn("n1", 15_000);
        checkIns.checkIn("n2", 15_000);
        try (var c = nodeA.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("insert into pe_cluster_node (node_id, last_seen_ms) values ('gone', "
                    + (System.currentTimeMillis() - 60_000) + ")");
        }
        assertThat(new PostgresClusterLocks(nodeA.dataSource(), 7_500).liveNodes()).isEqualTo(2);
    }
}
