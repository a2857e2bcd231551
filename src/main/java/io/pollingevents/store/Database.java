package io.pollingevents.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.File;

/** The engine's JDBC store: a HikariCP pool migrated by Flyway; H2 file mode by default, PostgreSQL in production. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and applies pending migrations from {@code db/migration}. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        if (jdbcUrl.startsWith("jdbc:h2:file:")) {
            String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";")[0];
            File parent = new File(path).getAbsoluteFile().getParentFile();
            if (parent != null) {
                parent.mkdirs();
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(durable(jdbcUrl));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("polling-events");
        if (SqlDialect.of(jdbcUrl) == SqlDialect.POSTGRESQL) {
            // a generic plan cached while the outbox was empty (a fresh start) kept walking the whole backlog once it
            // grew: the claim took seconds and delivery fell to 12 events/s (bench c); plan with the actual values
            config.setConnectionInitSql("set plan_cache_mode = force_custom_plan");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to the database at " + jdbcUrl
                    + " (polling.db.url): " + rootMessage(e), e);
        }
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(ds)
                    // db/migration is shared; db/migration-<vendor> has what only one database needs (Quartz tables)
                    .locations("classpath:db/migration", "classpath:db/migration-" + (jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("Database migration failed on " + jdbcUrl + ": " + rootMessage(e), e);
        }
        return new Database(ds);
    }

    /**
     * H2 delays writing commits by 500 ms by default, so a killed process would lose committed outbox rows
     * and watermarks; write each commit at once unless the URL says otherwise.
     */
    static String durable(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:file:") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            return jdbcUrl + ";WRITE_DELAY=0";
        }
        return jdbcUrl;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public boolean isPostgres() {
        return dialect() == SqlDialect.POSTGRESQL;
    }

    public SqlDialect dialect() {
        return SqlDialect.of(dataSource.getJdbcUrl());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
