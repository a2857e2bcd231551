package io.pollingevents.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    private final Jdbc jdbc;

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
        jdbc.update("record poll " + instanceId + "/" + resource,
                "update pe_watermark set last_poll_ms = ?, last_result = ? where instance_id = ? and resource = ?",
                at.toEpochMilli(), text, instanceId, resource);
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
