package io.pollingevents.poll;

import io.pollingevents.event.DetectedChange;
import io.pollingevents.store.Watermark;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a resource's watermark moves once changes are safely stored: to the newest change date, keeping
 * the ids stored at exactly that date so equal timestamps are neither missed nor sent twice.
 */
public final class WatermarkAdvance {
    private WatermarkAdvance() {
    }

    public static Watermark advance(Watermark current, List<DetectedChange> stored) {
        Instant newest = current.at();
        for (DetectedChange change : stored) {
            if (change.date().isAfter(newest)) {
                newest = change.date();
            }
        }
        Set<String> ids = new HashSet<>(newest.equals(current.at()) ? current.idsAtWatermark() : Set.of());
        for (DetectedChange change : stored) {
            if (change.date().equals(newest)) {
                ids.add(change.objectId());
            }
        }
        return new Watermark(newest, ids);
    }
}
