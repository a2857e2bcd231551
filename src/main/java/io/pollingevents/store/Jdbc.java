package io.pollingevents.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The few JDBC helpers the stores share: run a statement, map rows, one transaction. */
final class Jdbc {
    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /** How often {@link #inTransactionRetryingDeadlocks} runs its work before it gives up. */
    private static final int DEADLOCK_ATTEMPTS = 5;

    /**
     * {@link #inTransaction}, run again when the database rolled it back to break a deadlock (SQLSTATE 40001 or
     * 40P01). For a statement that locks many rows in an order of its own, such as an instance's delete cascading to
     * notifications whose outcomes delivery threads are writing meanwhile: it is rolled back whole, so running it
     * again is safe.
     */
    <T> T inTransactionRetryingDeadlocks(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(what, work);
            } catch (StoreException e) {
                if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isDeadlock(Throwable e) {
        return hasSqlState(e, "40001", "40P01");
    }

    /** Whether a cause of {@code e}, or an exception chained to one (batches chain theirs), has one of the SQLSTATEs. */
    static boolean hasSqlState(Throwable e, String... states) {
        List<String> wanted = List.of(states);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (wanted.contains(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    int update(String what, String sql, Object... args) {
        return inTransaction(what, c -> update(c, sql, args));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, mapper, args);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    /** "?,?,?" for an IN list of {@code count} values. */
    static String marks(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
