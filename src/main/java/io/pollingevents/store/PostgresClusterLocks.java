package io.pollingevents.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Cluster locks as PostgreSQL session advisory locks, each held on a connection of its own until given back, and the
 * live nodes read from the cluster's check-ins ({@link PostgresPartitionLeases}), cached for a few seconds.
 */
public final class PostgresClusterLocks implements ClusterLocks {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresClusterLocks.class);
    private static final long NODES_CACHE_MILLIS = 5_000;

    private final DataSource dataSource;
    private final PostgresPartitionLeases checkIns;
    private final long checkinMillis;
    private volatile int nodes = 1;
    private volatile long nodesReadAt;

    /**
     * @param checkinMillis the cluster's check-in interval: a node silent for twice as long counts as gone
     */
    public PostgresClusterLocks(DataSource dataSource, long checkinMillis) {
        this.dataSource = dataSource;
        this.checkIns = new PostgresPartitionLeases(dataSource);
        this.checkinMillis = checkinMillis;
    }

    @Override
    public Optional<AutoCloseable> tryLock(String name) {
        long key = key(name);
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            if (!ask(c, "select pg_try_advisory_lock(?)", key)) {
                c.close();
                return Optional.empty();
            }
            Connection held = c;
            return Optional.of(() -> {
                try (held) {
                    ask(held, "select pg_advisory_unlock(?)", key);
                }
            });
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("cannot take the cluster lock '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public int liveNodes() {
        long now = System.currentTimeMillis();
        if (now - nodesReadAt > NODES_CACHE_MILLIS) {
            try {
                nodes = checkIns.liveNodes(2 * checkinMillis);
            } catch (StoreException e) {
                LOG.debug("Cannot count the cluster's live nodes ({}); keeping {}", e.getMessage(), nodes);
            }
            nodesReadAt = now;
        }
        return nodes;
    }

    private static boolean ask(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    // advisory locks are named by a 64-bit number: the first eight bytes of the name's SHA-256
    static long key(String name) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the lock attempt failed already
            }
        }
    }
}
