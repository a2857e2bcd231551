package io.pollingevents.store;

import io.pollingevents.support.Postgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link OutboxStore} contract on PostgreSQL (a throw-away schema; skipped locally without a server, failing under
 * CI), and what only PostgreSQL promises: nodes claiming at the same moment never get the same notification.
 */
class PostgresOutboxStoreTest extends OutboxStoreContract {
    private Postgres pg;

    @Override
    Database openDatabase() throws SQLException {
        pg = Postgres.freshSchema();
        return Database.open(pg.jdbcUrl(), Postgres.USER, "", 4);
    }

    @Override
    SqlDialect expectedDialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Override
    void closeDatabase() throws Exception {
        try {
            super.closeDatabase();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void twoOwnersClaimingAtOnceNeverClaimTheSameNotificationTwiceAndTogetherClaimAll() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long instanceId = instance("tenant-" + i);
            List<OutboxNotification> poll = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                poll.add(notification(instanceId, "contacts", "t" + i + "-n" + j, "t" + i + "-o" + j));
            }
            store.savePoll(instanceId, "contacts", poll, null, null);
            poll.forEach(n -> all.add(n.id()));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger claimedTogether = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> byA = threads.submit(claimUntil(all.size(), claimedTogether, "node-a", start));
            Future<List<String>> byB = threads.submit(claimUntil(all.size(), claimedTogether, "node-b", start));
            start.countDown();
            List<String> claimedByA = byA.get(60, TimeUnit.SECONDS);
            List<String> claimedByB = byB.get(60, TimeUnit.SECONDS);

            List<String> both = new ArrayList<>(claimedByA);
            both.addAll(claimedByB);
            assertThat(both).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
            assertThat(heldBy("node-a")).containsExactlyInAnyOrderElementsOf(claimedByA);
            assertThat(heldBy("node-b")).containsExactlyInAnyOrderElementsOf(claimedByB);
            assertThat(claim("node-c", NOW, 1_000, 1_000)).isEmpty();
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Claims a few at a time, all at the same moment, until the two owners together claimed {@code total}; an empty
     * claim (the other owner holds the candidates right now) is tried again, so both keep contending to the end.
     */
    private Callable<List<String>> claimUntil(int total, AtomicInteger claimedTogether, String owner, CountDownLatch start) {
        return () -> {
            assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> claimed = new ArrayList<>();
            while (claimedTogether.get() < total) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(owner + ": only " + claimedTogether.get() + " of " + total + " claimed after 30 s");
                }
                List<OutboxNotification> batch = store.claimDue(owner, NOW, LEASE, 1_000, 5);
                batch.forEach(n -> claimed.add(n.id()));
                claimedTogether.addAndGet(batch.size());
            }
            return claimed;
        };
    }

    /** What the database says the owner holds. */
    private List<String> heldBy(String owner) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select id from pe_notification where claimed_by = ?")) {
            ps.setString(1, owner);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }
}
