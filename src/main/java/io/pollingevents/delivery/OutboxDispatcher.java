package io.pollingevents.delivery;

import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds the delivery route from the outbox: claims due notifications (with a lease, so another node or a
 * later start can take over) when woken by a poll that stored some, by callback calls that ended and freed
 * enough room ({@link InFlight}), or by the fallback tick (retries coming due, polls of other nodes), but never more
 * than the delivery consumers can work on; keeps the outbox gauges and the retention of delivered notifications up to date.
 */
public final class OutboxDispatcher implements AttemptEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxStore outbox;
    private final EngineMetrics metrics;
    private final Clock clock;
    private final String nodeId;
    private final long leaseMillis;
    private final Duration retention;
    private final int perInstance;
    private final InFlight inFlight;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile Runnable wake;

    public OutboxDispatcher(OutboxStore outbox, EngineMetrics metrics, Clock clock, String nodeId, int capacity,
                            int perInstance, long leaseMillis, Duration retention) {
        this.perInstance = perInstance;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
        this.nodeId = nodeId;
        this.inFlight = new InFlight(capacity, perInstance);
        this.leaseMillis = leaseMillis;
        this.retention = retention;
    }

    /**
     * The due notifications this node now owns, claimed in one statement, oldest first; the delivery route sends each.
     * At most {@code perInstance} of one instance are in flight across the cluster, so a slow callback holds few
     * delivery threads.
     */
    public List<OutboxNotification> claim() {
        int free = inFlight.free();
        if (free <= 0) {
            return List.of();
        }
        List<OutboxNotification> claimed;
        try {
            claimed = outbox.claimDue(nodeId, clock.millis(), leaseMillis, perInstance, free);
        } catch (RuntimeException e) {
            LOG.warn("Could not claim due notifications; the next wake or tick tries again: {}", e.getMessage());
            return List.of();
        }
        inFlight.claimed(claimed);
        return claimed;
    }

    /**
     * An attempt's callback call ended: its slot is free at once, though its outcome is still to be written (the store
     * keeps it claimed meanwhile). Refills the freed slots when enough are free for a claim to be worth its transaction.
     */
    @Override
    public void callEnded(OutboxNotification notification) {
        if (inFlight.ended(notification)) {
            wake();
        }
    }

    /**
     * An attempt's outcome is written. A newer notification of its objects waited for it and is claimable now; the
     * next call that ends claims it, or this wake when the instance has few calls running (no call may end soon).
     */
    @Override
    public void outcomeWritten(OutboxNotification notification) {
        if (inFlight.roomFor(notification.instanceId())) {
            wake();
        }
    }

    /**
     * Asks for a dispatch now rather than at the next tick: after a poll stored notifications, after a callback call
     * ended and after an outcome was written. Wakes that come while one is pending fold into it.
     */
    public void wake() {
        Runnable wake = this.wake;
        if (wake != null && wakeScheduled.compareAndSet(false, true)) {
            wake.run();
        }
    }

    /** What the dispatch route sends to the delivery route now; run by the schedule and by wakes. */
    public synchronized List<OutboxNotification> claimForDispatch() {
        wakeScheduled.set(false);
        return claim();
    }

    /** How to run {@link #claimForDispatch} out of schedule, without waiting for the next tick. */
    public void onWake(Runnable wake) {
        this.wake = wake;
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
