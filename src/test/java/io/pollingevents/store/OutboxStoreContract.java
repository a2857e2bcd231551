package io.pollingevents.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.pollingevents.store.DeliveryStatus.DEAD;
import static io.pollingevents.store.DeliveryStatus.DELIVERED;
import static io.pollingevents.store.DeliveryStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link OutboxStore} (its Javadoc), run against {@link JdbcOutboxStore} on each database by a
 * subclass. Every test gets a fresh, migrated database with the instance "acme". Notifications are created one
 * second apart in the order the tests store them, so "oldest first" is also storage order; each is due at its
 * creation, long before {@link #NOW}.
 */
abstract class OutboxStoreContract {
    static final long T0 = 1_700_000_000_000L;
    static final long NOW = T0 + 3_600_000;
    static final long LEASE = 60_000;
    /** A limit or per-instance limit that does not bind. */
    static final int MANY = 100;

    Database database;
    OutboxStore store;
    JdbcInstanceStore instances;
    JdbcWatermarkStore watermarks;
    long acme;
    private int created;

    /** A fresh database, migrated, for one test. */
    abstract Database openDatabase() throws Exception;

    abstract SqlDialect expectedDialect();

    void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void openStores() throws Exception {
        database = openDatabase();
        assertThat(database.dialect()).as("the claim SQL under test").isEqualTo(expectedDialect());
        store = new JdbcOutboxStore(database.dataSource(), database.dialect());
        instances = new JdbcInstanceStore(database.dataSource());
        watermarks = new JdbcWatermarkStore(database.dataSource());
        acme = instance("acme");
    }

    @AfterEach
    void closeStores() throws Exception {
        closeDatabase();
    }

    // --- savePoll, storedEventIds

    @Test
    void savePollStoresTheNotificationsAndMovesTheWatermarkTogether() {
        Watermark start = watermark(acme, "contacts");
        Watermark next = new Watermark(Instant.ofEpochMilli(T0 + 5_000), Set.of("c2", "c3"));
        OutboxNotification n1 = notification(acme, "contacts", "n1", "c1", "c2");
        OutboxNotification n2 = notification(acme, "contacts", "n2", "c3");

        assertThat(store.savePoll(acme, "contacts", List.of(n1, n2), start, next)).isEqualTo(3);

        assertThat(watermark(acme, "contacts")).isEqualTo(next);
        assertThat(watermark(acme, "accounts")).isEqualTo(start);
        assertThat(store.events(acme, null, MANY))
                .extracting(EventLogEntry::eventId, EventLogEntry::notificationId, EventLogEntry::resource, EventLogEntry::objectId,
                        EventLogEntry::eventDate, EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::createdAt)
                .containsExactlyInAnyOrder(
                        tuple("n1/c1", "n1", "contacts", "c1", n1.createdAt(), PENDING, 0, n1.createdAt()),
                        tuple("n1/c2", "n1", "contacts", "c2", n1.createdAt(), PENDING, 0, n1.createdAt()),
                        tuple("n2/c3", "n2", "contacts", "c3", n2.createdAt(), PENDING, 0, n2.createdAt()));
        OutboxEvent c2 = n1.events().get(1);
        assertThat(store.storedEventIds(acme, "contacts", List.of(c2, n2.events().get(0), new OutboxEvent("n9/c9", "c9", "UPDATED", T0),
                new OutboxEvent("c2-later", "c2", "UPDATED", c2.eventDate() + 1))))
                .as("the same object and date is the stored event; a later date of that object is not")
                .containsExactlyInAnyOrder("n1/c2", "n2/c3");
        assertThat(store.storedEventIds(acme, "accounts", n1.events())).as("another resource").isEmpty();
    }

    @Test
    void savePollExpectingAnotherWatermarkStoresNothing() {
        Watermark start = watermark(acme, "contacts");
        Watermark next = new Watermark(Instant.ofEpochMilli(T0 + 5_000), Set.of("c1"));
        for (Watermark wrong : List.of(new Watermark(start.at().plusMillis(1), Set.of()), new Watermark(start.at(), Set.of("c0")))) {
            List<OutboxNotification> poll = List.of(notification(acme, "contacts", "n1", "c1"));
            assertThatThrownBy(() -> store.savePoll(acme, "contacts", poll, wrong, next)).isInstanceOf(ConcurrentPollException.class);
        }
        assertThat(watermark(acme, "contacts")).isEqualTo(start);
        assertThat(store.events(acme, null, MANY)).isEmpty();
    }

    @Test
    void savePollWithAnEventStoredBeforeStoresNothing() {
        Watermark start = watermark(acme, "contacts");
        OutboxNotification first = stored(acme, "n1", "c1");
        assertThat(watermark(acme, "contacts")).as("no watermark given, none moved").isEqualTo(start);
        OutboxNotification repeat = notification(acme, "contacts", "n2", nextCreatedAt(), List.of(
                new OutboxEvent("n2/c2", "c2", "CREATED", T0 + 9_000), new OutboxEvent("n1/c1", "c1", "UPDATED", first.createdAt())));

        assertThatThrownBy(() -> store.savePoll(acme, "contacts", List.of(repeat), start,
                new Watermark(Instant.ofEpochMilli(T0 + 9_000), Set.of("c1", "c2")))).isInstanceOf(ConcurrentPollException.class);

        assertThat(watermark(acme, "contacts")).isEqualTo(start);
        assertThat(store.storedEventIds(acme, "contacts", repeat.events())).containsExactly("n1/c1");
        assertThat(store.events(acme, null, MANY)).extracting(EventLogEntry::notificationId).containsExactly("n1");
    }

    // --- claimDue

    @Test
    void claimDueReturnsDueNotificationsOldestFirstUpToTheLimit() {
        OutboxNotification n1 = stored(acme, "n1", "c1", "c2");
        stored(acme, "n2");
        stored(acme, "n3");
        stored(acme, "n4");

        List<OutboxNotification> first = store.claimDue("node-a", NOW, LEASE, MANY, 3);

        assertThat(first).extracting(OutboxNotification::id).containsExactly("n1", "n2", "n3");
        assertThat(first.get(0)).extracting(OutboxNotification::instanceId, OutboxNotification::resource, OutboxNotification::body,
                OutboxNotification::attempts, OutboxNotification::createdAt, OutboxNotification::eventCount)
                .containsExactly(acme, "contacts", n1.body(), 0, n1.createdAt(), 2);
        assertThat(claim("node-a", NOW + 1, MANY, 3)).containsExactly("n4");
        assertThat(claim("node-a", NOW + 2, MANY, 3)).isEmpty();
    }

    @Test
    void aClaimedNotificationIsNotClaimedAgainUntilItsLeaseEnds() {
        stored(acme, "n1");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1");
        assertThat(claim("node-b", NOW, MANY, MANY)).isEmpty();
        assertThat(claim("node-b", NOW + LEASE - 1, MANY, MANY)).isEmpty();
        assertThat(claim("node-a", NOW + LEASE - 1, MANY, MANY)).as("not even to its owner").isEmpty();
        assertThat(claim("node-b", NOW + LEASE + 1, MANY, MANY)).as("lease expired").containsExactly("n1");
        assertThat(claim("node-a", NOW + LEASE + 2, MANY, MANY)).as("node-b's lease holds").isEmpty();
    }

    @Test
    void anOwnerClaimingTwiceInOneMillisecondGetsEachNotificationOnce() {
        stored(acme, "n1");
        stored(acme, "n2");
        assertThat(claim("node-a", NOW, MANY, 1)).containsExactly("n1");
        assertThat(claim("node-a", NOW, MANY, 1)).containsExactly("n2");
        assertThat(claim("node-a", NOW, MANY, 1)).isEmpty();
    }

    @Test
    void claimsMadeAtTheSameTimeByManyThreadsNeverShareANotification() throws Exception {
        for (int i = 0; i < 60; i++) {
            stored(instance("tenant-" + i), "t" + i + "-a");
        }
        List<String> claimed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> claims = new java.util.ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String owner = "node-" + t;
                claims.add(threads.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        claimed.addAll(claim(owner, NOW, MANY, 4));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : claims) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(claimed).doesNotHaveDuplicates().hasSize(60);
    }

    @Test
    void aNotificationFailedWithARetryIsLeftUntilItIsDue() {
        stored(acme, "n1");
        stored(acme, "n2");
        assertThat(claim("node-a", NOW, MANY, 1)).containsExactly("n1");

        store.markFailed("n1", "node-a", NOW + 10, 503, "Service Unavailable", NOW + 5_000);

        assertThat(entry("n1")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastAttemptAt,
                        EventLogEntry::lastStatus, EventLogEntry::lastError, EventLogEntry::nextAttemptAt)
                .containsExactly(PENDING, 1, NOW + 10, 503, "Service Unavailable", NOW + 5_000);
        assertThat(claim("node-b", NOW + 4_999, MANY, MANY)).containsExactly("n2");
        assertThat(store.claimDue("node-b", NOW + 5_000, LEASE, MANY, MANY))
                .extracting(OutboxNotification::id, OutboxNotification::attempts).containsExactly(tuple("n1", 1));
    }

    @Test
    void atMostPerInstanceOfOneInstanceAreInFlightCountingEveryOwnersClaims() {
        long globex = instance("globex");
        for (String id : List.of("a1", "a2", "a3", "a4")) {
            stored(acme, id);
        }
        stored(globex, "g1");

        assertThat(claim("node-a", NOW, 2, 1)).containsExactly("a1");
        assertThat(claim("node-b", NOW + 1, 2, MANY)).as("a1 is in flight on node-a").containsExactly("a2", "g1");
        assertThat(claim("node-c", NOW + 2, 2, MANY)).isEmpty();
        store.markDelivered("a1", "node-a", NOW + 3, 200);
        assertThat(claim("node-c", NOW + 4, 2, MANY)).containsExactly("a3");
        // node-b's leases (a2, g1) have ended, node-c's of a3 has not: a4 waits
        assertThat(claim("node-d", NOW + LEASE + 2, 2, MANY)).containsExactly("a2", "g1");
    }

    @Test
    void aNotificationWhoseCallEndedStaysClaimedButNoLongerTakesItsInstancesSlot() {
        stored(acme, "a1", "o1");
        stored(acme, "a2", "o2");
        stored(acme, "a3", "o1");
        stored(acme, "a4", "o4");

        assertThat(claim("node-a", NOW, 1, MANY)).containsExactly("a1");
        assertThat(claim("node-a", NOW + 1, 1, MANY)).as("a1's call is running").isEmpty();
        store.callEnded("a1", "node-a");
        assertThat(claim("node-a", NOW + 2, 1, MANY)).as("a1 stays claimed, a3 waits for it (same object)").containsExactly("a2");
        assertThat(claim("node-a", NOW + 3, 1, MANY)).as("a2's call is running").isEmpty();

        store.callEnded("a2", "node-a");
        store.markDelivered("a1", "node-a", NOW + 4, 200);
        assertThat(entry("a1").status()).isEqualTo(DELIVERED);
        assertThat(claim("node-a", NOW + 5, 1, MANY)).as("a1 is written: a3 is next").containsExactly("a3");
        store.markDelivered("a2", "node-a", NOW + 6, 200);
        assertThat(entry("a2").status()).isEqualTo(DELIVERED);
    }

    @Test
    void instancesTakeTurns() {
        long globex = instance("globex");
        for (String id : List.of("a1", "a2", "a3")) {
            stored(acme, id);
        }
        for (String id : List.of("g1", "g2", "g3")) {
            stored(globex, id);
        }
        assertThat(claim("node-a", NOW, MANY, 2)).containsExactly("a1", "g1");
        assertThat(claim("node-a", NOW + 1, MANY, 2)).containsExactly("a2", "g2");
    }

    @Test
    void aNotificationWaitsWhileAnOlderPendingOneCarriesOneOfItsObjects() {
        long globex = instance("globex");
        stored(acme, "n1", "o1");
        stored(acme, "n2", "o2");
        stored(acme, "n3", "o3", "o1");
        stored(acme, "n4", "o3");
        storedIn(acme, "accounts", "n5", "o1");
        stored(globex, "g1", "o1");

        assertThat(claim("node-a", NOW, MANY, MANY)).as("other resources and instances are other objects")
                .containsExactly("n1", "n2", "n5", "g1");
        store.markDelivered("n1", "node-a", NOW + 1, 200);
        assertThat(claim("node-a", NOW + 2, MANY, MANY)).as("n4 waits for n3").containsExactly("n3");
        store.markFailed("n3", "node-a", NOW + 3, 500, "Internal Server Error", NOW + 10_000);
        assertThat(claim("node-a", NOW + 4, MANY, MANY)).as("n3 is pending, not yet due").isEmpty();
        assertThat(claim("node-a", NOW + 10_000, MANY, MANY)).containsExactly("n3");
        store.markFailed("n3", "node-a", NOW + 10_001, 500, "Internal Server Error", null);
        assertThat(claim("node-a", NOW + 10_002, MANY, MANY)).as("n3 is dead").containsExactly("n4");
    }

    @Test
    void notificationsWaitingForTheirObjectDoNotHoldBackTheInstancesOtherObjects() {
        stored(acme, "n1", "o1");
        stored(acme, "n2", "o1");
        stored(acme, "n3", "o1");
        stored(acme, "n4", "o2");
        assertThat(claim("node-a", NOW, 2, MANY)).containsExactly("n1", "n4");
    }

    @Test
    void aRetriedOlderNotificationHoldsBackNewerOnesOfItsObjectsAgain() {
        OutboxNotification n1 = stored(acme, "n1", "o1");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1");
        store.markFailed("n1", "node-a", NOW + 1, 500, "Internal Server Error", null);
        stored(acme, "n2", "o2");
        stored(acme, "n3", "o1");
        // n3 is looked at (a claim looks ahead of what it takes) and found free to go: n1 is dead
        assertThat(claim("node-a", NOW + 2, 1, MANY)).as("one in flight per instance").containsExactly("n2");

        assertThat(store.retryEvent(acme, eventId(n1), NOW + 3)).isTrue();
        store.markDelivered("n2", "node-a", NOW + 4, 200);

        assertThat(claim("node-a", NOW + 5, MANY, MANY)).as("n3 waits for the retried n1 again").containsExactly("n1");
        store.markDelivered("n1", "node-a", NOW + 6, 200);
        assertThat(claim("node-a", NOW + 7, MANY, MANY)).containsExactly("n3");
    }

    // --- deleting an instance

    @Test
    void anInstanceIsDeletedWhileOutcomesOfItsNotificationsAreBeingWritten() throws Exception {
        stored(acme, "n1");
        stored(acme, "n2");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2");
        CompletableFuture<Boolean> deleted;
        try (Connection outcome = database.dataSource().getConnection()) {
            // an outcome commit under way: it holds n2, the delete cascades to n1 and waits for n2; the outcome then
            // wants n1, and the database breaks the deadlock by rolling back one of the two
            outcome.setAutoCommit(false);
            markDeliveredOn(outcome, "n2");
            deleted = CompletableFuture.supplyAsync(() -> instances.delete(acme));
            await().atMost(Duration.ofSeconds(10)).until(this::aSessionWaitsForALock);
            try {
                markDeliveredOn(outcome, "n1");
                outcome.commit();
            } catch (SQLException victim) {
                outcome.rollback();
            }
        }

        assertThat(deleted.get(30, TimeUnit.SECONDS)).as("deleted, whichever was rolled back").isTrue();
        assertThat(instances.find(acme)).isEmpty();
        assertThat(store.counts(acme)).as("its notifications went with it").isEmpty();
    }

    private static void markDeliveredOn(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update pe_notification set status = 'DELIVERED' where id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private boolean aSessionWaitsForALock() throws SQLException {
        String sql = expectedDialect() == SqlDialect.POSTGRESQL ? "select count(*) from pg_locks where not granted"
                : "select count(*) from information_schema.sessions where blocker_id is not null";
        try (Connection c = database.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    // --- markDelivered, markFailed, events

    @Test
    void severalDeliveredOutcomesAreRecordedTogetherForTheClaimsOfTheirOwner() {
        stored(acme, "n1");
        stored(acme, "n2");
        stored(acme, "n3");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2", "n3");

        store.markDelivered("node-a", List.of(new DeliveredOutcome("n1", NOW + 1, 200), new DeliveredOutcome("n3", NOW + 2, 204)));
        store.markDelivered("node-b", List.of(new DeliveredOutcome("n2", NOW + 3, 200)));

        assertThat(entry("n1")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastStatus, EventLogEntry::deliveredAt)
                .containsExactly(DELIVERED, 1, 200, NOW + 1);
        assertThat(entry("n3")).extracting(EventLogEntry::status, EventLogEntry::lastStatus, EventLogEntry::deliveredAt)
                .containsExactly(DELIVERED, 204, NOW + 2);
        assertThat(entry("n2")).as("node-b holds no claim on n2").extracting(EventLogEntry::status, EventLogEntry::attempts)
                .containsExactly(PENDING, 0);
        store.markDelivered("node-a", List.of());
    }

    @Test
    void onlyTheOwnerOfTheClaimRecordsTheOutcome() {
        stored(acme, "n1");
        stored(acme, "n2");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2");
        assertThat(claim("node-b", NOW + LEASE + 1, MANY, MANY)).containsExactly("n1", "n2");

        store.markDelivered("n1", "node-a", NOW + LEASE + 2, 200);
        store.markFailed("n2", "node-a", NOW + LEASE + 2, 500, "late", null);
        for (String id : List.of("n1", "n2")) {
            assertThat(entry(id)).as("late attempt of node-a on " + id)
                    .extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastStatus, EventLogEntry::deliveredAt)
                    .containsExactly(PENDING, 0, null, null);
        }

        store.markDelivered("n1", "node-b", NOW + LEASE + 3, 204);
        store.markFailed("n2", "node-b", NOW + LEASE + 3, 500, "Internal Server Error", NOW + LEASE + 1_000);
        assertThat(entry("n1")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastAttemptAt,
                        EventLogEntry::lastStatus, EventLogEntry::lastError, EventLogEntry::deliveredAt)
                .containsExactly(DELIVERED, 1, NOW + LEASE + 3, 204, null, NOW + LEASE + 3);
        assertThat(entry("n2")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastStatus,
                        EventLogEntry::lastError, EventLogEntry::nextAttemptAt)
                .containsExactly(PENDING, 1, 500, "Internal Server Error", NOW + LEASE + 1_000);

        store.markFailed("n1", "node-b", NOW + LEASE + 4, 500, "after delivery", null);
        assertThat(entry("n1").status()).isEqualTo(DELIVERED);
    }

    @Test
    void markFailedWithoutANextAttemptMakesADeadLetter() {
        stored(acme, "n1");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1");

        store.markFailed("n1", "node-a", NOW + 10, null, "Connection refused", null);

        assertThat(entry("n1")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::lastAttemptAt,
                        EventLogEntry::lastStatus, EventLogEntry::lastError, EventLogEntry::deliveredAt)
                .containsExactly(DEAD, 1, NOW + 10, null, "Connection refused", null);
        assertThat(claim("node-b", NOW + 100 * LEASE, MANY, MANY)).isEmpty();
    }

    @Test
    void eventsFiltersByStatusAndHonoursTheLimit() {
        long globex = instance("globex");
        stored(acme, "n1", "c1", "c2");
        stored(acme, "n2", "c3");
        stored(acme, "n3", "c4");
        stored(globex, "g1", "c1");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2", "n3", "g1");
        store.markDelivered("n1", "node-a", NOW + 1, 200);
        store.markFailed("n2", "node-a", NOW + 1, 410, "Gone", null);

        assertThat(store.events(acme, DELIVERED, MANY)).extracting(EventLogEntry::eventId).containsExactlyInAnyOrder("n1/c1", "n1/c2");
        assertThat(store.events(acme, DEAD, MANY)).extracting(EventLogEntry::eventId).containsExactly("n2/c3");
        assertThat(store.events(acme, PENDING, MANY)).extracting(EventLogEntry::eventId).containsExactly("n3/c4");
        assertThat(store.events(acme, null, MANY)).hasSize(4);
        assertThat(store.events(acme, null, 2)).as("the newest, oldest first").extracting(EventLogEntry::eventId)
                .containsExactly("n2/c3", "n3/c4");
        assertThat(store.events(globex, null, MANY)).extracting(EventLogEntry::eventId).containsExactly("g1/c1");
    }

    // --- retry, purge, counts, releaseClaims

    @Test
    void retryMakesNotificationsPendingAndDueNowWithNoAttempts() {
        long globex = instance("globex");
        OutboxNotification n1 = stored(acme, "n1");
        stored(acme, "n2");
        stored(acme, "n3");
        stored(acme, "n4");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2", "n3", "n4");
        store.markFailed("n1", "node-a", NOW + 1, 500, "Internal Server Error", null);
        store.markFailed("n2", "node-a", NOW + 1, 500, "Internal Server Error", null);
        store.markDelivered("n3", "node-a", NOW + 1, 200);
        store.markFailed("n4", "node-a", NOW + 1, 503, "Service Unavailable", NOW + 86_400_000);
        long later = NOW + 1_000;

        assertThat(store.retryEvent(acme, "unknown", later)).isFalse();
        assertThat(store.retryEvent(globex, eventId(n1), later)).as("an event of another instance").isFalse();
        assertThat(entry("n1").status()).isEqualTo(DEAD);
        assertThat(store.retryEvent(acme, eventId(n1), later)).isTrue();
        assertThat(entry("n1")).extracting(EventLogEntry::status, EventLogEntry::attempts, EventLogEntry::nextAttemptAt)
                .containsExactly(PENDING, 0, later);
        assertThat(store.retryAll(acme, PENDING, later)).as("n1, n4").isEqualTo(2);
        assertThat(store.retryAll(acme, DEAD, later)).as("n2").isEqualTo(1);
        assertThat(store.retryAll(acme, DELIVERED, later)).as("n3").isEqualTo(1);
        assertThat(store.retryAll(acme, DEAD, later)).isZero();
        assertThat(entry("n2")).extracting(EventLogEntry::status, EventLogEntry::attempts).containsExactly(PENDING, 0);

        assertThat(claim("node-b", later - 1, MANY, MANY)).isEmpty();
        assertThat(store.claimDue("node-b", later, LEASE, MANY, MANY)).extracting(OutboxNotification::id, OutboxNotification::attempts)
                .containsExactly(tuple("n1", 0), tuple("n2", 0), tuple("n3", 0), tuple("n4", 0));
    }

    @Test
    void purgeDeletesDeliveredNotificationsOlderThanTheCutoffAndKeepsDeadOnes() {
        OutboxNotification n1 = stored(acme, "n1");
        for (String id : List.of("n2", "n3", "n4")) {
            stored(acme, id);
        }
        assertThat(claim("node-a", NOW, MANY, 3)).containsExactly("n1", "n2", "n3");
        store.markDelivered("n1", "node-a", NOW + 10, 200);
        store.markDelivered("n2", "node-a", NOW + 20, 200);
        store.markFailed("n3", "node-a", NOW + 5, 500, "Internal Server Error", null);

        assertThat(store.purgeDelivered(NOW + 20)).isEqualTo(1);
        assertThat(notificationIds()).containsExactlyInAnyOrder("n2", "n3", "n4");
        assertThat(store.storedEventIds(acme, "contacts", n1.events())).isEmpty();
        assertThat(store.purgeDelivered(NOW + 100 * LEASE)).isEqualTo(1);
        assertThat(notificationIds()).containsExactlyInAnyOrder("n3", "n4");
    }

    @Test
    void countsGivePendingDeadAndTheOldestPendingPerInstanceAndResource() {
        long globex = instance("globex");
        stored(acme, "c1");
        OutboxNotification c2 = stored(acme, "c2");
        stored(acme, "c3");
        storedIn(acme, "accounts", "a1", "x1");
        OutboxNotification g1 = stored(globex, "g1");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("c1", "c2", "c3", "a1", "g1");
        store.markFailed("c1", "node-a", NOW + 1, 500, "Internal Server Error", null);
        store.markDelivered("a1", "node-a", NOW + 1, 200);

        DeliveryCounts acmeContacts = new DeliveryCounts(acme, "contacts", 2, 1, c2.createdAt());
        DeliveryCounts globexContacts = new DeliveryCounts(globex, "contacts", 1, 0, g1.createdAt());
        assertThat(store.counts(acme)).filteredOn(c -> c.pending() + c.dead() > 0).containsExactly(acmeContacts);
        assertThat(store.allCounts()).filteredOn(c -> c.pending() + c.dead() > 0).containsExactlyInAnyOrder(acmeContacts, globexContacts);
    }

    @Test
    void countsOfReadsEveryResourceOfTheGivenInstancesOnly() {
        long globex = instance("globex");
        long initech = instance("initech");
        stored(acme, "c1");
        storedIn(acme, "accounts", "a1", "x1");
        stored(globex, "g1");
        stored(initech, "i1");

        assertThat(store.countsOf(List.of(acme, globex))).extracting(DeliveryCounts::instanceId, DeliveryCounts::resource, DeliveryCounts::pending)
                .containsExactlyInAnyOrder(tuple(acme, "contacts", 1L), tuple(acme, "accounts", 1L), tuple(globex, "contacts", 1L));
        assertThat(store.countsOf(List.of())).isEmpty();
    }

    @Test
    void notificationBodyIsTheOneCarryingTheEventOfThatInstance() {
        long globex = instance("globex");
        stored(acme, "n1", "c1", "c2");
        stored(globex, "g1", "c1");

        assertThat(store.notificationBody(acme, "n1/c2")).hasValue("{\"message\":{\"id\":\"n1\"}}");
        assertThat(store.notificationBody(globex, "n1/c2")).isEmpty();
        assertThat(store.notificationBody(acme, "no-such-event")).isEmpty();
    }

    @Test
    void activityCountsEventsFoundAndDeliveredPerMinuteWithTheLatency() {
        stored(acme, "n1", "c1", "c2");
        OutboxNotification n2 = stored(acme, "n2", "c3");
        stored(acme, "n3", "c4");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2", "n3");
        store.markDelivered("n1", "node-a", NOW + 500, 200);
        store.markDelivered("n2", "node-a", NOW + 1_500, 200);
        store.markFailed("n3", "node-a", NOW + 1_500, 500, "down", null);

        long foundMinute = n2.createdAt() / 60_000 * 60_000;
        long deliveredMinute = (NOW + 500) / 60_000 * 60_000;
        assertThat(store.activity(acme, T0 - 60_000)).containsExactly(
                new MinuteActivity(foundMinute, 4, 0, null, null),
                new MinuteActivity(deliveredMinute, 0, 3, (NOW + 500 - (T0 + 1_000) + NOW + 1_500 - n2.createdAt()) / 2.0,
                        NOW + 1_500 - n2.createdAt()));
        assertThat(store.activity(acme, NOW)).as("only what happened since").containsExactly(
                new MinuteActivity(deliveredMinute, 0, 3, (NOW + 500 - (T0 + 1_000) + NOW + 1_500 - n2.createdAt()) / 2.0,
                        NOW + 1_500 - n2.createdAt()));
    }

    @Test
    void releaseClaimsFreesEveryClaim() {
        stored(acme, "n1");
        stored(acme, "n2");
        assertThat(claim("node-a", NOW, MANY, MANY)).containsExactly("n1", "n2");
        assertThat(claim("node-b", NOW + 1, 2, MANY)).isEmpty();

        store.releaseClaims();

        assertThat(claim("node-b", NOW + 2, 2, MANY)).containsExactly("n1", "n2");
    }

    // --- helpers

    long instance(String name) {
        return instances.insert("token-" + name, "demo", name, "{}", T0, List.of("contacts", "accounts")).id();
    }

    Watermark watermark(long instanceId, String resource) {
        return watermarks.load(instanceId, resource).orElseThrow();
    }

    /** A notification created a second after the previous one, with one event per object, "id/object". */
    OutboxNotification notification(long instanceId, String resource, String id, String... objectIds) {
        long createdAt = nextCreatedAt();
        return notification(instanceId, resource, id, createdAt,
                Arrays.stream(objectIds).map(o -> new OutboxEvent(id + "/" + o, o, "UPDATED", createdAt)).toList());
    }

    static OutboxNotification notification(long instanceId, String resource, String id, long createdAt, List<OutboxEvent> events) {
        return new OutboxNotification(id, instanceId, resource, "{\"message\":{\"id\":\"" + id + "\"}}", 0, createdAt, events.size(), events);
    }

    long nextCreatedAt() {
        return T0 + 1_000L * ++created;
    }

    /** Stores a notification of the contacts resource, with an event of its own object when no objects are given. */
    OutboxNotification stored(long instanceId, String id, String... objectIds) {
        return storedIn(instanceId, "contacts", id, objectIds.length == 0 ? new String[] {"obj-" + id} : objectIds);
    }

    OutboxNotification storedIn(long instanceId, String resource, String id, String... objectIds) {
        OutboxNotification n = notification(instanceId, resource, id, objectIds);
        assertThat(store.savePoll(instanceId, resource, List.of(n), null, null)).isEqualTo(objectIds.length);
        return n;
    }

    List<String> claim(String owner, long now, int perInstance, int limit) {
        return store.claimDue(owner, now, LEASE, perInstance, limit).stream().map(OutboxNotification::id).toList();
    }

    /** The event log entry of acme's notification (its first event). */
    EventLogEntry entry(String notificationId) {
        return store.events(acme, null, MANY).stream().filter(e -> e.notificationId().equals(notificationId)).findFirst()
                .orElseThrow(() -> new AssertionError("no events of " + notificationId));
    }

    List<String> notificationIds() {
        return store.events(acme, null, MANY).stream().map(EventLogEntry::notificationId).distinct().toList();
    }

    static String eventId(OutboxNotification n) {
        return n.events().get(0).id();
    }
}
