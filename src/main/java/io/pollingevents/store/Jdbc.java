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
