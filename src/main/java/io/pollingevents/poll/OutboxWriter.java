package io.pollingevents.poll;

import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stores a poll's changes in the outbox as notifications of at most ten events, oldest first. Large polls
 * are stored chunk by chunk as they stream in; the last chunk moves the resource's watermark in the same
 * transaction, so until a poll completes the watermark stays and a repeated poll stores only what is new
 * (event ids already in the outbox are skipped).
 */
public final class OutboxWriter {
    private final NewNotifications newNotifications;
    private final OutboxStore outbox;
    private final EngineMetrics metrics;
    private final int chunkSize;
    private final Runnable notificationsStored;

    /**
     * @param notificationsStored runs after a transaction stored notifications, so delivery starts at once rather
     *                            than at its next tick
     */
    public OutboxWriter(NotificationBuilder builder, OutboxStore outbox, EngineMetrics metrics, int chunkSize,
                        Runnable notificationsStored) {
        this.newNotifications = new NewNotifications(builder, outbox);
        this.outbox = outbox;
        this.metrics = metrics;
        this.chunkSize = chunkSize;
        this.notificationsStored = notificationsStored;
    }

    /** Remembers one detected change; stores a chunk once enough have gathered. */
    public void collect(DetectedChange change, Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        synchronized (poll) {
            poll.pending().add(change);
            if (poll.pending().size() >= chunkSize) {
                save(poll, null);
            }
        }
    }

    /** Stores what is left and moves the watermark, in one transaction. */
    public void store(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        synchronized (poll) {
            Watermark next = poll.resource().hasNoDates()
                    ? new Watermark(poll.pollTime(), Set.of())
                    : WatermarkAdvance.advance(poll.candidateWatermark(), poll.pending());
            // a full page from a hub the engine cannot page through may hide older records, unless it sends oldest
            // first; a hub that pages says where its list ends, and that is trusted
            boolean unreadMayBeOlder = poll.hub().truncated() && !poll.resource().pagination().paged()
                    && !poll.resource().call().sortedByChangeDate();
            save(poll, next.equals(poll.startWatermark()) || unreadMayBeOlder ? null : next);
        }
    }

    private void save(PollContext poll, Watermark watermark) {
        List<DetectedChange> changes = new ArrayList<>(poll.pending());
        poll.pending().clear();
        if (changes.isEmpty() && watermark == null) {
            return;
        }
        long instanceId = poll.instance().id();
        String resource = poll.resource().name();
        List<OutboxNotification> notifications = newNotifications.of(poll, changes, true);
        int stored = outbox.savePoll(instanceId, resource, notifications, poll.startWatermark(), watermark);
        if (!poll.resource().hasNoDates()) {
            poll.candidateWatermark(WatermarkAdvance.advance(poll.candidateWatermark(), changes));
        }
        poll.eventsStored().addAndGet(stored);
        if (!notifications.isEmpty()) {
            notificationsStored.run();
        }
        metrics.eventsFound(instanceId, resource, changes.size());
        metrics.eventsEmitted(instanceId, resource, stored);
    }
}
