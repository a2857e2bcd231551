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

    /** Counts the wakes the dispatcher asks for. */
    private static AtomicInteger wakesOf(OutboxDispatcher dispatcher) {
        AtomicInteger wakes = new AtomicInteger();
        dispatcher.onWake(wakes::incrementAndGet);
        return wakes;
    }

    private static OutboxNotification n(String id, long instanceId) {
        return new OutboxNotification(id, instanceId, "candidates", "{}", 0, NOW - 1_000, 1, List.of());
    }

    @Test
    void claimsDueNotificationsInOneCallWithALeaseAndThePerInstanceLimit() {
        OutboxDispatcher dispatcher = dispatcher(4, 2);
        OutboxNotification a = n("a", 1);
        OutboxNotification b = n("b", 2);
        outbox.due.addAll(List.of(a, b));

        assertThat(dispatcher.claim()).containsExactly(a, b);
        assertThat(outbox.claimCalls).containsExactly(new FakeOutboxStore.ClaimCall("node-a", NOW, LEASE, 2, 4));
    }

    @Test
    void claimsNoMoreThanTheFreeCapacity() {
        OutboxDispatcher dispatcher = dispatcher(3, 5);
        outbox.due.addAll(List.of(n("a", 1), n("b", 2)));
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a", "b");

        outbox.due.addAll(List.of(n("c", 3), n("d", 4)));
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("c");
        assertThat(outbox.claimCalls).extracting(FakeOutboxStore.ClaimCall::limit).containsExactly(3, 1);

        assertThat(dispatcher.claim()).as("full").isEmpty();
        assertThat(outbox.claimCalls).as("a full dispatcher does not ask the store").hasSize(2);
    }

    @Test
    void freedSlotIsClaimedAgain() {
        OutboxDispatcher dispatcher = dispatcher(1, 5);
        OutboxNotification a = n("a", 1);
        outbox.due.addAll(List.of(a, n("b", 2)));
        assertThat(dispatcher.claim()).containsExactly(a);
        assertThat(dispatcher.claim()).isEmpty();

        dispatcher.callEnded(a);

        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("b");
    }

    @Test
    void aFailingClaimTakesNoCapacity() {
        OutboxDispatcher dispatcher = dispatcher(2, 5);
        outbox.due.addAll(List.of(n("a", 1), n("b", 1)));
        outbox.claimFailure = new IllegalStateException("database unavailable");
        assertThat(dispatcher.claim()).isEmpty();

        outbox.claimFailure = null;
        assertThat(dispatcher.claim()).extracting(OutboxNotification::id).containsExactly("a", "b");
        assertThat(outbox.claimCalls).extracting(FakeOutboxStore.ClaimCall::limit).containsExactly(2, 2);
    }

    @Test
    void aWakeFromAPollFoldsIntoOnePendingDispatch() {
        OutboxDispatcher dispatcher = dispatcher(4, 4);
        AtomicInteger wakes = wakesOf(dispatcher);

        dispatcher.wake();
        dispatcher.wake();
        assertThat(wakes).hasValue(1);

        dispatcher.claimForDispatch();
        dispatcher.wake();
        assertThat(wakes).hasValue(2);
    }

    @Test
    void aWakeBeforeTheRouteIsReadyIsIgnored() {
        OutboxDispatcher dispatcher = dispatcher(1, 1);
        dispatcher.wake();
        AtomicInteger wakes = wakesOf(dispatcher);

        dispatcher.wake();

        assertThat(wakes).hasValue(1);
    }

    @Test
    void aCallThatEndedWakesTheDispatchOnceUntilItRuns() {
        OutboxDispatcher dispatcher = dispatcher(4, 4);
        AtomicInteger wakes = wakesOf(dispatcher);
        outbox.due.addAll(List.of(n("a", 1), n("b", 2), n("c", 3)));
        List<OutboxNotification> claimed = dispatcher.claimForDispatch();
        assertThat(claimed).hasSize(3);

        dispatcher.callEnded(claimed.get(0));
        dispatcher.callEnded(claimed.get(1));
        assertThat(wakes).hasValue(1);

        outbox.due.clear();
        dispatcher.claimForDispatch();
        dispatcher.callEnded(claimed.get(2));
        assertThat(wakes).hasValue(2);
    }

    @Test
    void anInstanceIsRefilledOnceHalfItsSlotsAreFree() {
        OutboxDispatcher dispatcher = dispatcher(16, 4);
        AtomicInteger wakes = wakesOf(dispatcher);
        outbox.due.addAll(List.of(n("a", 1), n("b", 1), n("c", 1), n("d", 1)));
        List<OutboxNotification> claimed = dispatcher.claimForDispatch();
        assertThat(claimed).hasSize(4);

        dispatcher.callEnded(claimed.get(0));
        assertThat(wakes).as("one of four slots free: not worth a claim").hasValue(0);
        dispatcher.callEnded(claimed.get(1));
        assertThat(wakes).as("half free").hasValue(1);
    }

    @Test
    void aWrittenOutcomeWakesTheDispatchOnlyWhenItsInstanceHasRoom() {
        OutboxDispatcher dispatcher = dispatcher(16, 4);
        AtomicInteger wakes = wakesOf(dispatcher);
        outbox.due.addAll(List.of(n("a", 1), n("b", 1), n("c", 1), n("d", 1)));
        List<OutboxNotification> claimed = dispatcher.claimForDispatch();

        dispatcher.outcomeWritten(claimed.get(0));
        assertThat(wakes).as("four calls of the instance running: the next that ends claims").hasValue(0);

        dispatcher.callEnded(claimed.get(0));
        dispatcher.callEnded(claimed.get(1));
        assertThat(wakes).hasValue(1);
        dispatcher.claimForDispatch();
        // a newer notification of the same object may have waited for this outcome: with two calls left, claim now
        dispatcher.outcomeWritten(claimed.get(1));
        assertThat(wakes).hasValue(2);
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
