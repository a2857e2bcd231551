package io.pollingevents.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.MinuteActivity;
import io.pollingevents.store.OutboxStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Answers {@code GET /instances/{id}/activity}: events found and delivered per minute and the delivery latency, from the outbox. */
public final class InstanceActivity {
    static final int DEFAULT_MINUTES = 60;
    static final int MAX_MINUTES = 24 * 60;

    private final ObjectMapper mapper;
    private final InstanceStore store;
    private final OutboxStore outbox;
    private final Clock clock;

    public InstanceActivity(ObjectMapper mapper, InstanceStore store, OutboxStore outbox, Clock clock) {
        this.mapper = mapper;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The last {@code minutes} minutes (this one included), one entry per minute, zeros where nothing happened. */
    public ObjectNode activity(long id, String minutesText) {
        store.find(id).orElseThrow(() -> ApiException.noInstance(id));
        int minutes = minutes(minutesText);
        long thisMinute = clock.millis() / 60_000;
        long first = thisMinute - minutes + 1;
        Map<Long, MinuteActivity> byMinute = outbox.activity(id, first * 60_000).stream()
                .collect(Collectors.toMap(m -> m.minuteStartMs() / 60_000, Function.identity()));
        ObjectNode body = mapper.createObjectNode();
        body.put("instanceId", id);
        ArrayNode list = body.putArray("minutes");
        for (long minute = first; minute <= thisMinute; minute++) {
            MinuteActivity m = byMinute.getOrDefault(minute, new MinuteActivity(minute * 60_000, 0, 0, null, null));
            ObjectNode node = list.addObject();
            node.put("minute", Instant.ofEpochMilli(minute * 60_000).toString());
            node.put("found", m.found());
            node.put("delivered", m.delivered());
            if (m.latencyAvgMs() == null) {
                node.putNull("latencyAvgMs");
                node.putNull("latencyMaxMs");
            } else {
                node.put("latencyAvgMs", Math.round(m.latencyAvgMs()));
                node.put("latencyMaxMs", m.latencyMaxMs());
            }
        }
        return body;
    }

    private static int minutes(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_MINUTES;
        }
        try {
            int minutes = Integer.parseInt(text.trim());
            if (minutes > 0 && minutes <= MAX_MINUTES) {
                return minutes;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "minutes: '" + text + "' is not a number from 1 to " + MAX_MINUTES);
    }
}
