package io.pollingevents.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Per (instance, resource) progress of change detection. */
public interface WatermarkStore {
    Optional<Watermark> load(long instanceId, String resource);

    /** Moves the watermark; only called after the events up to it were delivered. */
    void advance(long instanceId, String resource, Watermark watermark);

    void recordPoll(long instanceId, String resource, Instant at, String result);

    List<ResourceState> states(long instanceId);
}
