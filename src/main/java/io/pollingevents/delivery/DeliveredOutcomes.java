package io.pollingevents.delivery;

import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.DeliveredOutcome;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Records successful deliveries with group commit: the thread that finds no write in progress writes every outcome
 * waiting at that moment in one transaction, and outcomes that arrive meanwhile go into the next one. One commit per
 * burst instead of one per notification (each commit is a disk write), with no timer adding latency. An attempt
 * counts as ended, and its notification's dispatch slot is freed, once its outcome is written.
 */
public final class DeliveredOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveredOutcomes.class);

    private record Pending(OutboxNotification notification, DeliveredOutcome outcome) {
    }

    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final OutboxStore outbox;
    private final EngineMetrics metrics;
    private final String owner;
    private final Consumer<OutboxNotification> ended;

    /**
     * @param ended runs for each notification once its outcome is written (or could not be written)
     */
    public DeliveredOutcomes(OutboxStore outbox, EngineMetrics metrics, String owner, Consumer<OutboxNotification> ended) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.owner = owner;
        this.ended = ended;
    }

    /** Queues one delivered attempt and writes the queue unless another thread is writing it already. */
    public void record(OutboxNotification notification, long at, int httpStatus) {
        waiting.add(new Pending(notification, new DeliveredOutcome(notification.id(), at, httpStatus)));
        // after a writer lets go, look again: an outcome queued just before that would otherwise wait for the next
        while (!waiting.isEmpty() && writing.tryLock()) {
            try {
                writeWaiting();
            } finally {
                writing.unlock();
            }
        }
    }

    private void writeWaiting() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            outbox.markDelivered(owner, batch.stream().map(Pending::outcome).toList());
            for (Pending p : batch) {
                metrics.eventsDelivered(p.notification().instanceId(), p.notification().resource(), p.notification().eventCount());
            }
        } catch (RuntimeException e) {
            // the claims stay until their lease ends; then the notifications are sent again (at least once)
            LOG.error("Could not record {} delivered notifications ({}); they are sent again once their lease ends",
                    batch.size(), e.getMessage());
        } finally {
            batch.forEach(p -> ended.accept(p.notification()));
        }
    }
}
