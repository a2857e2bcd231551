package io.pollingevents.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.store.OutboxEvent;
import io.pollingevents.store.OutboxNotification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the Open Connectors-style notification for a batch of at most ten changes:
 * {@code {"message":{"id",...,"events":[...],"raw":{"<objectType>":[records]}}}}.
 * Event ids are stable for (instance, resource, object, date) so receivers can deduplicate.
 */
public final class NotificationBuilder {
    public static final int MAX_EVENTS = 10;
    private static final Pattern HUB_IN_URL = Pattern.compile("/hubs/([^/?]+)/");

    private final ObjectMapper mapper;
    private final TimeOrderedIds notificationIds = new TimeOrderedIds();

    public NotificationBuilder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The stable id of the event for a change of an object of a resource. */
    public static String eventId(long instanceId, String resource, DetectedChange change) {
        String key = instanceId + "/" + resource + "/" + change.objectId() + "/" + change.date().toEpochMilli();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The outbox event for a change of an object of a resource, with its stable id. */
    public static OutboxEvent event(long instanceId, String resource, DetectedChange change) {
        return new OutboxEvent(eventId(instanceId, resource, change), change.objectId(), change.type().name(),
                change.date().toEpochMilli());
    }

    /**
     * The notification for a batch of changes of one resource found by the poll at {@code pollTime}: its id (made now,
     * in time order, and the same on every retry since the notification is stored), the exact JSON that is signed and
     * sent, and its events.
     */
    public OutboxNotification build(InstanceDefinition instance, ResourceConfig resource, ElementDescriptor element,
                                    Instant pollTime, List<DetectedChange> batch) {
        if (batch.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("A notification carries at most " + MAX_EVENTS + " events, got " + batch.size());
        }
        String objectType = resource.name();
        String hubKey = hubKey(resource, element);
        ObjectNode message = mapper.createObjectNode();
        ArrayNode events = mapper.createArrayNode();
        ArrayNode raw = mapper.createArrayNode();
        List<OutboxEvent> outboxEvents = new ArrayList<>();
        for (DetectedChange change : batch) {
            OutboxEvent outboxEvent = event(instance.id(), objectType, change);
            outboxEvents.add(outboxEvent);
            ObjectNode event = events.addObject();
            event.put("id", outboxEvent.id());
            event.put("elementKey", instance.elementKey());
            event.put("eventType", change.type().name());
            event.put("objectType", objectType);
            event.put("objectId", change.objectId());
            event.put("eventDate", change.date().toString());
            event.put("hubKey", hubKey);
            raw.add(change.record());
        }
        String messageId = notificationIds.next(System.currentTimeMillis()).toString();
        message.put("id", messageId);
        message.put("elementKey", instance.elementKey());
        message.put("instanceId", instance.id());
        message.put("instanceName", instance.name());
        ArrayNode tags = message.putArray("instanceTags");
        instance.tags().forEach(tags::add);
        message.put("pollDate", pollTime.toString());
        message.set("events", events);
        message.putObject("raw").set(objectType, raw);
        ObjectNode root = mapper.createObjectNode();
        root.set("message", message);
        try {
            return new OutboxNotification(messageId, instance.id(), objectType, mapper.writeValueAsString(root),
                    0, pollTime.toEpochMilli(), outboxEvents.size(), List.copyOf(outboxEvents));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write notification", e);
        }
    }

    // the hub named in an Open Connectors path (/hubs/<hub>/...), else the element's
    private static String hubKey(ResourceConfig resource, ElementDescriptor element) {
        Matcher m = HUB_IN_URL.matcher(resource.url());
        return m.find() ? m.group(1) : element.hub();
    }
}
