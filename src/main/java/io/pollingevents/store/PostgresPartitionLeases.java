package io.pollingevents.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's check-ins and partition leases in PostgreSQL: each node records that it is alive, and holds a partition
 * of the resources until its lease, renewed at every check-in, runs out. Times are the database's clock, so the
 * nodes' clocks need not agree.
 */
public final class PostgresPartitionLeases {
    /** The resources of a cluster fall into this many partitions; more nodes than this leave some idle. */
    public static final int PARTITIONS = 64;
    private static final String NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
    /** A node silent for this long is forgotten (node ids name a process, so each restart adds one). */
    private static final long FORGET_AFTER_MS = 24 * 3_600_000L;

    private final Jdbc jdbc;

    public PostgresPartitionLeases(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Creates the partitions' rows that do not exist yet; every node does so at its start. */
    public void createPartitions() {
        jdbc.update("create the cluster's partitions", "insert into pe_cluster_partition (partition_no)"
                + " select g from generate_series(0, ?) g on conflict (partition_no) do nothing", PARTITIONS - 1);
    }

    /** Records that the node is alive now and answers how many nodes did so within the window, this one included. */
    public int checkIn(String nodeId, long liveWindowMillis) {
        return jdbc.inTransaction("check in node " + nodeId, c -> {
            Jdbc.update(c, "insert into pe_cluster_node (node_id, last_seen_ms) values (?, " + NOW_MS + ")"
                    + " on conflict (node_id) do update set last_seen_ms = excluded.last_seen_ms", nodeId);
            Jdbc.update(c, "delete from pe_cluster_node where last_seen_ms < " + NOW_MS + " - ?", FORGET_AFTER_MS);
            return countLive(c, liveWindowMillis);
        });
    }

    /** How many nodes checked in within the window, at least 1. */
    public int liveNodes(long liveWindowMillis) {
        return jdbc.inTransaction("count the cluster's nodes", c -> countLive(c, liveWindowMillis));
    }

    private static int countLive(Connection c, long liveWindowMillis) throws SQLException {
        List<Integer> counts = Jdbc.query(c, "select count(*) from pe_cluster_node where last_seen_ms > " + NOW_MS + " - ?",
                rs -> rs.getInt(1), liveWindowMillis);
        return Math.max(1, counts.get(0));
    }

    /** Extends the node's leases by {@code ttlMillis} from now and answers the partitions it holds. */
    public Set<Integer> renew(String nodeId, long ttlMillis) {
        return new TreeSet<>(jdbc.query("renew the leases of node " + nodeId, "update pe_cluster_partition set lease_until_ms = "
                + NOW_MS + " + ? where owner = ? returning partition_no", rs -> rs.getInt(1), ttlMillis, nodeId));
    }

    /**
     * Takes up to {@code max} partitions that nobody holds or whose lease ran out, skipping those another node is
     * taking at the same moment; answers the partitions taken.
     */
    public Set<Integer> claim(String nodeId, int max, long ttlMillis) {
        if (max <= 0) {
            return Set.of();
        }
        return new TreeSet<>(jdbc.query("claim partitions for node " + nodeId, "update pe_cluster_partition set owner = ?,"
                + " lease_until_ms = " + NOW_MS + " + ? where partition_no in (select partition_no from pe_cluster_partition"
                + " where owner is null or lease_until_ms < " + NOW_MS + " order by partition_no limit ? for update skip locked)"
                + " returning partition_no", rs -> rs.getInt(1), nodeId, ttlMillis, max));
    }

    /** Gives partitions back at once, so another node may take them at its next check-in. */
    public void release(String nodeId, Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        jdbc.inTransaction("release partitions of node " + nodeId, c -> {
            for (int partition : partitions) {
                Jdbc.update(c, "update pe_cluster_partition set owner = null, lease_until_ms = 0 where owner = ? and partition_no = ?",
                        nodeId, partition);
            }
            return null;
        });
    }

    /** A node that stops gives back all its partitions and its check-in, so the others need not wait for its leases. */
    public void leave(String nodeId) {
        jdbc.inTransaction("node " + nodeId + " leaves the cluster", c -> {
            Jdbc.update(c, "update pe_cluster_partition set owner = null, lease_until_ms = 0 where owner = ?", nodeId);
            Jdbc.update(c, "delete from pe_cluster_node where node_id = ?", nodeId);
            return null;
        });
    }
}
