package io.pollingevents.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.OutboxNotification;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxDispatcherTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long LEASE = 30_000;

    private final FakeOutboxStore outbox = new FakeOutboxStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private OutboxDispatcher dispatcher(int capacity, int perInstance) {
        return new OutboxDispatcher(outbox, new EngineMetrics(registry), clock, "node-a", capacity, perInstance, LEASE,
                Duration.ofDays(7));
    }

    private static OutboxNotification n(String id, long instanceId) {
        return new OutboxNotification(id, instanceId, "candidates", "{}", 0, NOW - 1_000, 1, List.of());
    }

    @Test
    void claimsDueNotificationsWithALease() {
        OutboxDispatcher dispatcher = dispatcher(4, 2);
        OutboxNotification a = n("a", 1);
        OutboxNotification b = n("b", 2);
        outbox.due.addAll(List.of(a, b));

        assertThat(dispatcher.claim()).containsExactly(a, b);
        assertThat(outbox.dueCalls).containsExactly(new FakeOutboxStore.DueCall(NOW, 2, 8));
        assertThat(outbox.claims).containsExactly(new FakeOutboxStore.Claim("a", "node-a", NOW, LEASE),
                new FakeOutboxStore.Claim("b", "node-a", NOW, LEASE));
    }

    @Test
    void claimsNoMoreThanTheFreeCapacity() {
        OutboxDispatcher dispatcher = dispatcher(2, 5);
        outbox.due.addAll(List.of(n("a", 1), n("b", 2), n("c", 3)));

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a", "b");
        assertThat(outbox.claims).extracting(FakeOutboxStore.Claim::id).containsExactly("a", "b");

        outbox.due.clear();
        outbox.due.add(n("c", 3));
        assertThat(dispatcher.claim()).as("full").isEmpty();
        assertThat(outbox.dueCalls).as("a full dispatcher does not ask the store").hasSize(1);
    }

    @Test
    void asksForTwiceTheFreeSlots() {
        OutboxDispatcher dispatcher = dispatcher(3, 5);
        outbox.due.add(n("a", 1));
        dispatcher.claim();
        outbox.due.clear();

        dispatcher.claim();

        assertThat(outbox.dueCalls).extracting(FakeOutboxStore.DueCall::limit).containsExactly(6, 4);
    }

    @Test
    void freedSlotIsClaimedAgain() {
        OutboxDispatcher dispatcher = dispatcher(1, 5);
        OutboxNotification a = n("a", 1);
        outbox.due.add(a);
        assertThat(dispatcher.claim()).containsExactly(a);

        outbox.due.clear();
        outbox.due.add(n("b", 2));
        assertThat(dispatcher.claim()).isEmpty();

        dispatcher.attemptEnded(a);
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("b");
    }

    @Test
    void limitsNotificationsInFlightPerInstance() {
        OutboxDispatcher dispatcher = dispatcher(10, 2);
        outbox.due.addAll(List.of(n("a1", 1), n("a2", 1), n("a3", 1), n("b1", 2)));

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a1", "a2", "b1");
        assertThat(outbox.claims).extracting(FakeOutboxStore.Claim::id).as("a3 is not even claimed")
                .containsExactly("a1", "a2", "b1");
    }

    @Test
    void perInstanceLimitHoldsAcrossClaimsUntilAnAttemptEnds() {
        OutboxDispatcher dispatcher = dispatcher(10, 1);
        OutboxNotification a1 = n("a1", 1);
        outbox.due.add(a1);
        assertThat(dispatcher.claim()).containsExactly(a1);

        outbox.due.clear();
        outbox.due.addAll(List.of(n("a2", 1), n("b1", 2)));
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("b1");

        dispatcher.attemptEnded(a1);
        outbox.due.clear();
        outbox.due.add(n("a2", 1));
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a2");
    }

    @Test
    void endingOneOfTwoAttemptsOfAnInstanceFreesOneSlot() {
        OutboxDispatcher dispatcher = dispatcher(10, 2);
        OutboxNotification a1 = n("a1", 1);
        outbox.due.addAll(List.of(a1, n("a2", 1)));
        assertThat(dispatcher.claim()).hasSize(2);

        dispatcher.attemptEnded(a1);
        outbox.due.clear();
        outbox.due.addAll(List.of(n("a3", 1), n("a4", 1)));

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a3");
    }

    @Test
    void claimLostToAnotherNodeFreesItsSlots() {
        OutboxDispatcher dispatcher = dispatcher(1, 1);
        outbox.due.addAll(List.of(n("a1", 1), n("a2", 1)));
        outbox.claimedElsewhere.add("a1");

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a2");
    }

    @Test
    void failingClaimCountsAsLost() {
        OutboxDispatcher dispatcher = dispatcher(1, 1);
        outbox.due.addAll(List.of(n("a1", 1), n("a2", 1)));
        outbox.claimFails.add("a1");

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a2");
    }

    @Test
    void lostClaimsTakeNoCapacityLater() {
        OutboxDispatcher dispatcher = dispatcher(2, 5);
        outbox.due.addAll(List.of(n("a", 1), n("b", 1)));
        outbox.claimedElsewhere.addAll(List.of("a", "b"));
        assertThat(dispatcher.claim()).isEmpty();

        outbox.claimedElsewhere.clear();
        outbox.due.clear();
        outbox.due.addAll(List.of(n("c", 1), n("d", 1), n("e", 1)));
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("c", "d");
        assertThat(outbox.dueCalls).extracting(FakeOutboxStore.DueCall::limit).containsExactly(4, 4);
    }

    @Test
    void attemptEndedWakesTheDispatchOnceUntilItRuns() {
        OutboxDispatcher dispatcher = dispatcher(4, 4);
        AtomicInteger wakes = new AtomicInteger();
        dispatcher.onWake(wakes::incrementAndGet);
        outbox.due.addAll(List.of(n("a", 1), n("b", 2), n("c", 3)));
        List<OutboxNotification> claimed = dispatcher.claimForDispatch();
        assertThat(claimed).hasSize(3);

        dispatcher.attemptEnded(claimed.get(0));
        dispatcher.attemptEnded(claimed.get(1));
        assertThat(wakes).hasValue(1);

        outbox.due.clear();
        dispatcher.claimForDispatch();
        dispatcher.attemptEnded(claimed.get(2));
        assertThat(wakes).hasValue(2);
    }

    @Test
    void attemptEndedWithoutWakeJustFreesTheSlot() {
        OutboxDispatcher dispatcher = dispatcher(1, 1);
        OutboxNotification a = n("a", 1);
        outbox.due.add(a);
        assertThat(dispatcher.claimForDispatch()).containsExactly(a);

        dispatcher.attemptEnded(a);

        assertThat(dispatcher.claimForDispatch()).containsExactly(a);
    }

    @Test
    void maintainPurgesByRetentionAndRefreshesGauges() {
        OutboxDispatcher dispatcher = dispatcher(1, 1);
        outbox.purgeAnswer = 3;
        outbox.counts = List.of(new DeliveryCounts(7, "candidates", 5, 2, NOW - 90_000),
                new DeliveryCounts(8, "contacts", 0, 1, null));

        dispatcher.maintain();

        assertThat(outbox.purgeCutoffs).containsExactly(NOW - Duration.ofDays(7).toMillis());
        assertThat(gauge("polling.outbox.pending", "7", "candidates")).isEqualTo(5.0);
        assertThat(gauge("polling.outbox.dead", "7", "candidates")).isEqualTo(2.0);
        assertThat(gauge("polling.outbox.oldest.pending.age", "7", "candidates")).isEqualTo(90.0);
        assertThat(gauge("polling.outbox.dead", "8", "contacts")).isEqualTo(1.0);
        assertThat(gauge("polling.outbox.oldest.pending.age", "8", "contacts")).isZero();

        outbox.purgeAnswer = 0;
        outbox.counts = List.of(new DeliveryCounts(8, "contacts", 4, 0, NOW - 1_000));
        dispatcher.maintain();

        assertThat(outbox.purgeCutoffs).hasSize(2);
        assertThat(registry.find("polling.outbox.pending").tags("instance", "7").gauge()).as("gone from the outbox").isNull();
        assertThat(gauge("polling.outbox.pending", "8", "contacts")).isEqualTo(4.0);
        assertThat(gauge("polling.outbox.oldest.pending.age", "8", "contacts")).isEqualTo(1.0);
    }

    private Double gauge(String name, String instance, String resource) {
        Gauge gauge = registry.find(name).tags("instance", instance, "resource", resource).gauge();
        return gauge == null ? null : gauge.value();
    }
}
