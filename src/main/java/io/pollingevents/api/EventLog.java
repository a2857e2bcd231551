package io.pollingevents.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/** The event log of an instance and the replay of its notifications (one event, or every one in a status). */
public final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final ObjectMapper mapper;
    private final InstanceStore store;
    private final OutboxStore outbox;
    private final Clock clock;

    public EventLog(ObjectMapper mapper, InstanceStore store, OutboxStore outbox, Clock clock) {
        this.mapper = mapper;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The events of an instance, optionally only those in one delivery status, newest last. */
    public ArrayNode events(long id, String status, int limit) {
        requireInstance(id);
        DeliveryStatus wanted = status == null || status.isBlank() ? null : status(status);
        ArrayNode list = mapper.createArrayNode();
        for (EventLogEntry e : outbox.events(id, wanted, limit)) {
            ObjectNode node = list.addObject();
            node.put("id", e.eventId());
            node.put("notificationId", e.notificationId());
            node.put("objectType", e.resource());
            node.put("objectId", e.objectId());
            node.put("eventType", e.eventType());
            node.put("eventDate", Instant.ofEpochMilli(e.eventDate()).toString());
            node.put("status", e.status().name().toLowerCase(Locale.ROOT));
            node.put("attempts", e.attempts());
            node.put("createdDate", Instant.ofEpochMilli(e.createdAt()).toString());
            node.put("lastAttemptDate", date(e.lastAttemptAt()));
            if (e.lastStatus() == null) {
                node.putNull("lastStatus");
            } else {
                node.put("lastStatus", e.lastStatus());
            }
            node.put("lastError", e.lastError());
            node.put("nextAttemptDate", date(e.nextAttemptAt()));
            node.put("deliveredDate", date(e.deliveredAt()));
        }
        return list;
    }

    /** The notification that carries the event, as it is sent to the callback. */
    public JsonNode notification(long id, String eventId) throws JsonProcessingException {
        requireInstance(id);
        String body = outbox.notificationBody(id, eventId).orElseThrow(() -> new ApiException(404, "instance " + id + " has no event "
                + eventId + " (delivered events are kept for polling.delivery.retention)"));
        return mapper.readTree(body);
    }

    /** Sends the notification carrying the event again, now, with a fresh retry schedule. */
    public ObjectNode retryEvent(long id, String eventId) {
        requireInstance(id);
        if (!outbox.retryEvent(id, eventId, clock.millis())) {
            throw new ApiException(404, "instance " + id + " has no event " + eventId + " (delivered events are kept for polling.delivery.retention)");
        }
        LOG.info("Event {} of instance {} queued for delivery again", eventId, id);
        return mapper.createObjectNode().put("requeued", 1);
    }

    /** Sends every notification of the instance in the status (dead by default) again: the replay of dead letters. */
    public ObjectNode retryAll(long id, String status) {
        requireInstance(id);
        DeliveryStatus wanted = status(status == null || status.isBlank() ? "dead" : status);
        int count = outbox.retryAll(id, wanted, clock.millis());
        LOG.info("{} {} notifications of instance {} queued for delivery again", count, wanted, id);
        return mapper.createObjectNode().put("requeued", count);
    }

    private void requireInstance(long id) {
        store.find(id).orElseThrow(() -> ApiException.noInstance(id));
    }

    private static DeliveryStatus status(String text) {
        try {
            return DeliveryStatus.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "status: " + e.getMessage());
        }
    }

    private static String date(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
