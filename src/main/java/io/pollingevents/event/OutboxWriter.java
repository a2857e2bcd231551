package io.pollingevents.event;

import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.poll.ChangeCollector;
import io.pollingevents.poll.DetectedChange;
import io.pollingevents.poll.PollContext;
import io.pollingevents.poll.WatermarkAdvance;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stores a poll's changes as notifications of at most ten events in the outbox and moves the
 * resource's watermark in the same transaction, so a crash keeps both or neither.
 */
public final class OutboxWriter {
    private final ChangeCollector collector;
    private final NotificationBuilder builder;
    private final OutboxStore outbox;
    private final EngineMetrics metrics;

    public OutboxWriter(ChangeCollector collector, NotificationBuilder builder, OutboxStore outbox, EngineMetrics metrics) {
        this.collector = collector;
        this.builder = builder;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    public void store(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        List<List<DetectedChange>> batches = collector.batches(exchange);
        List<OutboxNotification> notifications = new ArrayList<>();
        List<DetectedChange> all = new ArrayList<>();
        for (List<DetectedChange> batch : batches) {
            notifications.add(builder.build(poll, batch));
            all.addAll(batch);
        }
        Watermark next = poll.resource().hasNoDates()
                ? new Watermark(poll.pollTime(), Set.of())
                : WatermarkAdvance.advance(poll.startWatermark(), all);
        Watermark changed = next.equals(poll.startWatermark()) ? null : next;
        if (notifications.isEmpty() && changed == null) {
            return;
        }
        int stored = outbox.savePoll(poll.instance().id(), poll.resource().name(), notifications, changed);
        poll.eventsStored().addAndGet(stored);
        metrics.eventsFound(poll.instance().id(), poll.resource().name(), all.size());
        metrics.eventsEmitted(poll.instance().id(), poll.resource().name(), stored);
    }
}
