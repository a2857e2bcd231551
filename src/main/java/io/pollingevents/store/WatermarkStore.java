package io.pollingevents.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Per (instance, resource) progress of change detection. */
public interface WatermarkStore {
    Optional<Watermark> load(long instanceId, String resource);

    /**
     * Records when a poll ran and its one-line result, shown by the API. The JDBC store writes results of concurrent
     * polls in one commit, so a result may be written by another polling thread just after this returns.
     */
    void recordPoll(long instanceId, String resource, Instant at, String result);

    List<ResourceState> states(long instanceId);

    /** The resource states of every given instance, in one query, by instance id. */
    java.util.Map<Long, List<ResourceState>> statesOf(java.util.Collection<Long> instanceIds);
}
