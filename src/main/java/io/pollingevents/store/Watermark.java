package io.pollingevents.store;

import java.time.Instant;
import java.util.Set;

/**
 * How far a resource has been delivered: the newest delivered record date, and the ids of the objects
 * already delivered with exactly that date (so equal timestamps are neither missed nor repeated).
 */
public record Watermark(Instant at, Set<String> idsAtWatermark) {
    public Watermark {
        idsAtWatermark = Set.copyOf(idsAtWatermark);
    }
}
