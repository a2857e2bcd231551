package io.pollingevents.poll;

import io.pollingevents.store.Watermark;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Advances a resource's watermark after a notification was delivered, to the newest date it carried;
 * the ids delivered at exactly that date are kept so equal timestamps are not sent twice.
 */
public final class WatermarkCommitter {
    private final WatermarkStore watermarks;

    public WatermarkCommitter(WatermarkStore watermarks) {
        this.watermarks = watermarks;
    }

    @SuppressWarnings("unchecked")
    public void commit(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        List<DetectedChange> batch = exchange.getProperty("pollingBatch", List.class);
        poll.eventsDelivered().addAndGet(batch.size());
        poll.notificationsDelivered().incrementAndGet();
        if (poll.resource().hasNoDates()) {
            return; // UNKNOWN events carry the poll time; PollOutcome moves the watermark once the poll is done
        }
        Watermark next = advance(poll.deliveredWatermark(), batch);
        if (!next.equals(poll.deliveredWatermark())) {
            watermarks.advance(poll.instance().id(), poll.resource().name(), next);
            poll.deliveredUpTo(next);
        }
    }

    static Watermark advance(Watermark current, List<DetectedChange> delivered) {
        Instant newest = current.at();
        for (DetectedChange change : delivered) {
            if (change.date().isAfter(newest)) {
                newest = change.date();
            }
        }
        Set<String> ids = new HashSet<>(newest.equals(current.at()) ? current.idsAtWatermark() : Set.of());
        for (DetectedChange change : delivered) {
            if (change.date().equals(newest)) {
                ids.add(change.objectId());
            }
        }
        return new Watermark(newest, ids);
    }
}
