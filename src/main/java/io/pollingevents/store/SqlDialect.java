package io.pollingevents.store;

/**
 * What differs between the two databases the stores run on. Only the outbox claim does: PostgreSQL claims with
 * {@code FOR UPDATE SKIP LOCKED} and {@code RETURNING}, so nodes of a cluster never wait for each other's claims;
 * H2 serves one process, whose dispatcher claims from one thread at a time.
 */
public enum SqlDialect {
    POSTGRESQL, H2;

    /** The dialect of a JDBC URL: PostgreSQL for {@code jdbc:postgresql:}, H2 otherwise. */
    public static SqlDialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }
}
