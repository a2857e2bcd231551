package io.pollingevents.api;

import io.pollingevents.store.Database;
import io.pollingevents.support.Postgres;

/** The paged, searched instance list on PostgreSQL (a throw-away schema; skipped locally without a server, failing under CI). */
class PostgresInstanceListPagingTest extends InstanceListPagingTest {
    private Postgres pg;

    @Override
    Database openDatabase() throws Exception {
        pg = Postgres.freshSchema();
        return Database.open(pg.jdbcUrl(), Postgres.USER, "", 2);
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
}
