package io.pollingevents.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link WatermarkStore} on H2 or PostgreSQL; ids at the watermark are kept as a JSON array. */
public final class JdbcWatermarkStore implements WatermarkStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWatermarkStore.class);

    private record PollRecord(long instanceId, String resource, long atMillis, String result) {
    }

    private final Jdbc jdbc;
    /** Poll results are status, not state the guarantees rest on: concurrent polls share one commit for them. */
    private final GroupCommit<PollRecord> pollRecords = new GroupCommit<>(this::writePollRecords);

    public JdbcWatermarkStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Optional<Watermark> load(long instanceId, String resource) {
        return jdbc.query("load watermark " + instanceId + "/" + resource,
                "select watermark_ms, ids_at_watermark from pe_watermark where instance_id = ? and resource = ?",
                rs -> new Watermark(Instant.ofEpochMilli(rs.getLong(1)), readIds(rs.getString(2))),
                instanceId, resource).stream().findFirst();
    }

    @Override
    public void recordPoll(long instanceId, String resource, Instant at, String result) {
        String text = result.length() > 4000 ? result.substring(0, 3997) + "..." : result;
        pollRecords.add(new PollRecord(instanceId, resource, at.toEpochMilli(), text));
    }

    private void writePollRecords(List<PollRecord> batch) {
        try {
            jdbc.inTransaction("record " + batch.size() + " polls", c -> {
                try (var update = c.prepareStatement(
                        "update pe_watermark set last_poll_ms = ?, last_result = ? where instance_id = ? and resource = ?")) {
                    for (PollRecord r : batch) { // in order: a resource's later poll is written last
                        update.setLong(1, r.atMillis());
                        update.setString(2, r.result());
                        update.setLong(3, r.instanceId());
                        update.setString(4, r.resource());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // the watermark and the outbox are written elsewhere; only the shown last poll result is lost
            LOG.warn("Could not record the result of {} polls: {}", batch.size(), e.getMessage());
        }
    }

    @Override
    public List<ResourceState> states(long instanceId) {
        return jdbc.query("resource states " + instanceId,
                "select resource, watermark_ms, last_poll_ms, last_result from pe_watermark where instance_id = ? order by resource",
                rs -> new ResourceState(rs.getString(1), rs.getLong(2), (Long) rs.getObject(3, Long.class), rs.getString(4)),
                instanceId);
    }

    @Override
    public Map<Long, List<ResourceState>> statesOf(Collection<Long> instanceIds) {
        Map<Long, List<ResourceState>> states = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return states;
        }
        jdbc.query("resource states of " + instanceIds.size() + " instances",
                "select instance_id, resource, watermark_ms, last_poll_ms, last_result from pe_watermark where instance_id in ("
                        + Jdbc.marks(instanceIds.size()) + ") order by instance_id, resource",
                rs -> states.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(
                        new ResourceState(rs.getString(2), rs.getLong(3), (Long) rs.getObject(4, Long.class), rs.getString(5))),
                instanceIds.toArray());
        return states;
    }

    private static Set<String> readIds(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Set<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt ids_at_watermark column: " + json, e);
        }
    }
}
