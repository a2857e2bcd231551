package io.pollingevents.poll;

import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Remembers the changes of a poll and cuts them into notification batches, oldest first, so the
 * watermark can advance batch by batch.
 */
public final class ChangeCollector {
    private static final String CHANGES = "pollingChanges";
    private final int batchSize;

    public ChangeCollector(int batchSize) {
        this.batchSize = batchSize;
    }

    @SuppressWarnings("unchecked")
    public void collect(DetectedChange change, Exchange exchange) {
        // split sub-exchanges share the parent's property values, so the list is the parent's
        List<DetectedChange> changes = exchange.getProperty(CHANGES, List.class);
        synchronized (changes) {
            changes.add(change);
        }
    }

    /** Prepares an empty change list on the poll's exchange; called before the records are split. */
    public void open(Exchange exchange) {
        exchange.setProperty(CHANGES, new ArrayList<DetectedChange>());
    }

    /** The collected changes in batches of at most the batch size, ordered by date then object id. */
    @SuppressWarnings("unchecked")
    public List<List<DetectedChange>> batches(Exchange exchange) {
        List<DetectedChange> changes = new ArrayList<>(exchange.getProperty(CHANGES, List.class));
        changes.sort(Comparator.comparing(DetectedChange::date).thenComparing(DetectedChange::objectId));
        List<List<DetectedChange>> batches = new ArrayList<>();
        for (int i = 0; i < changes.size(); i += batchSize) {
            batches.add(List.copyOf(changes.subList(i, Math.min(changes.size(), i + batchSize))));
        }
        return batches;
    }
}
