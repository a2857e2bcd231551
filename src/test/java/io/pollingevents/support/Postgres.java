package io.pollingevents.support;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A throw-away schema in the local PostgreSQL (127.0.0.1:5432, database test, user postgres). Locally the
 * PostgreSQL tests are skipped with a message when the server is down; under CI (CI=true) they fail instead.
 */
public final class Postgres implements AutoCloseable {
    public static final String URL = System.getProperty("polling.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("polling.test.pg.user", "postgres");

    private final String schema;

    private Postgres(String schema) {
        this.schema = schema;
    }

    public static Postgres freshSchema() throws SQLException {
        SQLException unreachable = null;
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            String schema = "pe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            c.createStatement().execute("create schema " + schema);
            return new Postgres(schema);
        } catch (SQLException e) {
            unreachable = e;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new SQLException("PostgreSQL is required under CI but " + URL + " is not reachable: " + unreachable.getMessage(), unreachable);
        }
        // a local run without PostgreSQL skips these tests, saying why and how to run them
        Assumptions.assumeTrue(unreachable == null, "PostgreSQL tests skipped: " + URL + " is not reachable ("
                + unreachable.getMessage() + "). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        throw unreachable;
    }

    public String jdbcUrl() {
        return URL + "?currentSchema=" + schema;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            c.createStatement().execute("drop schema " + schema + " cascade");
        }
    }
}
