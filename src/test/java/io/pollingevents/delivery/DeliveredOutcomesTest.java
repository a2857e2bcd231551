package io.pollingevents.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.DeliveredOutcome;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.support.UnusedOutboxStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveredOutcomesTest {

    static OutboxNotification notification(String id) {
        return new OutboxNotification(id, 1, "candidates", "{}", 0, 0, 1, List.of());
    }

    /** A store whose first write blocks until released, so outcomes queue up behind it. */
    static final class SlowStore extends UnusedOutboxStore {
        final List<List<String>> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void markDelivered(String owner, List<DeliveredOutcome> outcomes) {
            writes.add(outcomes.stream().map(DeliveredOutcome::notificationId).toList());
            if (writes.size() == 1) {
                firstWriteStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void outcomesThatArriveDuringAWriteGoTogetherIntoTheNextAndEachAttemptEndsOnceWritten() throws Exception {
        SlowStore store = new SlowStore();
        List<String> ended = new CopyOnWriteArrayList<>();
        DeliveredOutcomes outcomes = new DeliveredOutcomes(store, new EngineMetrics(new SimpleMeterRegistry()), "node-a",
                n -> ended.add(n.id()));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            threads.submit(() -> outcomes.record(notification("n1"), 1, 200));
            assertThat(store.firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<java.util.concurrent.Future<?>> later = new ArrayList<>();
            for (String id : List.of("n2", "n3", "n4")) {
                later.add(threads.submit(() -> outcomes.record(notification(id), 2, 200)));
            }
            for (var f : later) {
                f.get(10, TimeUnit.SECONDS); // they return at once: the writer thread takes their outcomes
            }
            assertThat(ended).containsExactly();
            store.release.countDown();
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(store.writes).hasSize(2);
        assertThat(store.writes.get(0)).containsExactly("n1");
        assertThat(store.writes.get(1)).containsExactlyInAnyOrder("n2", "n3", "n4");
        assertThat(ended).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
    }

    @Test
    void aFailedWriteStillEndsTheAttempts() {
        List<String> ended = new ArrayList<>();
        DeliveredOutcomes outcomes = new DeliveredOutcomes(new UnusedOutboxStore() {
            @Override
            public void markDelivered(String owner, List<DeliveredOutcome> list) {
                throw new IllegalStateException("database down");
            }
        }, new EngineMetrics(new SimpleMeterRegistry()), "node-a", n -> ended.add(n.id()));

        outcomes.record(notification("n1"), 1, 200);

        assertThat(ended).containsExactly("n1");
    }
}
