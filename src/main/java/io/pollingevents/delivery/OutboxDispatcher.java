package io.pollingevents.delivery;

import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds the delivery route from the outbox: claims due notifications (with a lease, so another node or a
 * later start can take over) but never more than the delivery consumers can work on, and keeps the
 * outbox gauges and the retention of delivered notifications up to date.
 */
public final class OutboxDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxStore outbox;
    private final EngineMetrics metrics;
    private final Clock clock;
    private final String nodeId;
    private final int capacity;
    private final long leaseMillis;
    private final Duration retention;
    private final int perInstance;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Long, Integer> inFlightByInstance = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean wakeScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Runnable wake;

    public OutboxDispatcher(OutboxStore outbox, EngineMetrics metrics, Clock clock, String nodeId, int capacity,
                            int perInstance, long leaseMillis, Duration retention) {
        this.perInstance = perInstance;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
        this.nodeId = nodeId;
        this.capacity = capacity;
        this.leaseMillis = leaseMillis;
        this.retention = retention;
    }

    /**
     * The due notifications this node now owns, oldest first; the delivery route sends each. At most
     * {@code perInstance} of one instance are in flight, so a slow callback holds few delivery threads.
     */
    public List<OutboxNotification> claim() {
        int free = capacity - inFlight.get();
        if (free <= 0) {
            return List.of();
        }
        long now = clock.millis();
        List<OutboxNotification> claimed = new ArrayList<>();
        for (OutboxNotification n : outbox.due(now, perInstance, free * 2)) {
            if (claimed.size() >= free) {
                break;
            }
            if (!reserve(n.instanceId())) {
                continue;
            }
            boolean won = false;
            try {
                won = outbox.claim(n.id(), nodeId, now, leaseMillis);
            } catch (RuntimeException e) {
                LOG.warn("Could not claim notification {}: {}", n.id(), e.getMessage());
            }
            if (won) {
                inFlight.incrementAndGet();
                claimed.add(n);
            } else {
                unreserve(n.instanceId());
            }
        }
        return claimed;
    }

    /** Called when an attempt of a claimed notification ends, whatever its outcome; refills the freed slot at once. */
    public void attemptEnded(OutboxNotification notification) {
        inFlight.decrementAndGet();
        unreserve(notification.instanceId());
        Runnable wake = this.wake;
        if (wake != null && wakeScheduled.compareAndSet(false, true)) {
            wake.run();
        }
    }

    /** What the dispatch route sends to the delivery route now; run by the schedule and after each attempt. */
    public synchronized List<OutboxNotification> claimForDispatch() {
        wakeScheduled.set(false);
        return claim();
    }

    /** How to run {@link #claimForDispatch} out of schedule, without waiting for the next tick. */
    public void onWake(Runnable wake) {
        this.wake = wake;
    }

    private boolean reserve(long instanceId) {
        boolean[] reserved = new boolean[1];
        inFlightByInstance.compute(instanceId, (id, count) -> {
            int current = count == null ? 0 : count;
            reserved[0] = current < perInstance;
            return reserved[0] ? current + 1 : current;
        });
        return reserved[0];
    }

    private void unreserve(long instanceId) {
        inFlightByInstance.computeIfPresent(instanceId, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** Refreshes outbox gauges and deletes delivered notifications older than the retention. */
    public void maintain() {
        long now = clock.millis();
        int purged = outbox.purgeDelivered(now - retention.toMillis());
        if (purged > 0) {
            LOG.info("Removed {} delivered notifications older than {} (polling.delivery.retention)", purged, retention);
        }
        metrics.outbox(outbox.allCounts(), now);
    }
}
