package io.pollingevents.store;

import java.util.UUID;

/** The {@link OutboxStore} contract on an in-memory H2, migrated by Flyway as the engine's embedded store is. */
class H2OutboxStoreTest extends OutboxStoreContract {
    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:outbox-" + UUID.randomUUID(), "sa", "", 4);
    }

    @Override
    SqlDialect expectedDialect() {
        return SqlDialect.H2;
    }
}
