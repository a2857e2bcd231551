package io.pollingevents.poll;

import io.pollingevents.store.ResourceState;
import io.pollingevents.store.Watermark;
import io.pollingevents.store.WatermarkStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link WatermarkStore}: watermarks by instance and resource, and the poll results recorded. */
final class FakeWatermarkStore implements WatermarkStore {
    record RecordedPoll(long instanceId, String resource, Instant at, String result) {
    }

    final Map<String, Watermark> watermarks = new HashMap<>();
    final List<RecordedPoll> recorded = new ArrayList<>();
    /** When set, recording a poll fails with it, as when the database is unreachable. */
    RuntimeException recordFailure;

    void put(long instanceId, String resource, Watermark watermark) {
        watermarks.put(instanceId + "/" + resource, watermark);
    }

    @Override
    public Optional<Watermark> load(long instanceId, String resource) {
        return Optional.ofNullable(watermarks.get(instanceId + "/" + resource));
    }

    @Override
    public void recordPoll(long instanceId, String resource, Instant at, String result) {
        if (recordFailure != null) {
            throw recordFailure;
        }
        recorded.add(new RecordedPoll(instanceId, resource, at, result));
    }

    @Override
    public List<ResourceState> states(long instanceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Map<Long, List<ResourceState>> statesOf(java.util.Collection<Long> instanceIds) {
        throw new UnsupportedOperationException("statesOf is not used by the poll tests");
    }
}
