package io.pollingevents.event;

import io.pollingevents.element.VendorCall;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.Pagination;
import io.pollingevents.store.OutboxEvent;
import io.pollingevents.store.OutboxNotification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationBuilderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant POLL_TIME = Instant.parse("2024-11-27T12:00:00Z");
    private static final Instant T1 = Instant.parse("2024-11-27T11:00:00.123Z");
    private static final ElementDescriptor ELEMENT =
            new ElementDescriptor("maximizer", "Maximizer", "defaulthub", "https://hub", null, null, null, null, null, null, null, null, null, null, null);

    private final NotificationBuilder builder = new NotificationBuilder(MAPPER);

    /** What a poll hands the builder: the instance and the resource it polled. */
    private record Poll(InstanceDefinition instance, ResourceConfig resource) {
    }

    private static Poll poll(String url) {
        ResourceConfig resource = new ResourceConfig("contacts", url, "Key", null, null,
                new VendorCall("GET", url, null, "", Pagination.NONE, null, false), Duration.ZERO);
        InstanceDefinition instance = new InstanceDefinition(42, "token", "maximizer", "API Instance with Polling",
                List.of("Docs", "crm"), MAPPER.createObjectNode(), true, "http://127.0.0.1/cb", "k", 60_000,
                ZoneOffset.UTC, List.of(resource), Instant.EPOCH);
        return new Poll(instance, resource);
    }

    private static DetectedChange change(String id, Instant date, EventType type) {
        return new DetectedChange(id, date, type, MAPPER.createObjectNode().put("Key", id).put("Name", "n-" + id));
    }

    private JsonNode build(Poll poll, List<DetectedChange> batch) throws Exception {
        return MAPPER.readTree(builder.build(poll.instance(), poll.resource(), ELEMENT, POLL_TIME, batch).body());
    }

    @Test
    void buildsOpenConnectorsMessageShape() throws Exception {
        Poll poll = poll("/hubs/crm/contacts?where=LastModifyDate>'${date:yyyy-MM-dd}'");

        JsonNode message = build(poll, List.of(change("A1", T1, EventType.CREATED), change("B2", T1.plusSeconds(1), EventType.UPDATED)))
                .get("message");

        assertThat(message.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(message.get("elementKey").asText()).isEqualTo("maximizer");
        assertThat(message.get("instanceId").asLong()).isEqualTo(42);
        assertThat(message.get("instanceName").asText()).isEqualTo("API Instance with Polling");
        assertThat(message.get("instanceTags")).hasSize(2);
        assertThat(message.get("instanceTags").get(0).asText()).isEqualTo("Docs");
        assertThat(message.get("instanceTags").get(1).asText()).isEqualTo("crm");
        assertThat(message.get("pollDate").asText()).isEqualTo("2024-11-27T12:00:00Z");

        JsonNode events = message.get("events");
        assertThat(events).hasSize(2);
        JsonNode first = events.get(0);
        assertThat(first.get("id").asText()).isEqualTo(NotificationBuilder.eventId(42, "contacts", change("A1", T1, EventType.CREATED)));
        assertThat(first.get("elementKey").asText()).isEqualTo("maximizer");
        assertThat(first.get("eventType").asText()).isEqualTo("CREATED");
        assertThat(first.get("objectType").asText()).isEqualTo("contacts");
        assertThat(first.get("objectId").asText()).isEqualTo("A1");
        assertThat(first.get("eventDate").asText()).isEqualTo("2024-11-27T11:00:00.123Z");
        assertThat(first.get("hubKey").asText()).isEqualTo("crm");
        assertThat(events.get(1).get("eventType").asText()).isEqualTo("UPDATED");
        assertThat(events.get(1).get("objectId").asText()).isEqualTo("B2");

        JsonNode raw = message.get("raw").get("contacts");
        assertThat(raw).hasSize(2);
        assertThat(raw.get(0).get("Key").asText()).isEqualTo("A1");
        assertThat(raw.get(1).get("Name").asText()).isEqualTo("n-B2");
    }

    @Test
    void hubKeyComesFromResourceUrlEvenWhenAbsolute() throws Exception {
        JsonNode event = build(poll("https://api.example/elements/api-v2/hubs/humancapital/candidates?x=1"),
                List.of(change("A1", T1, EventType.UPDATED))).at("/message/events/0");

        assertThat(event.get("hubKey").asText()).isEqualTo("humancapital");
    }

    @Test
    void hubKeyFallsBackToElementHubWhenUrlHasNoHubSegment() throws Exception {
        JsonNode event = build(poll("/v1/contacts"), List.of(change("A1", T1, EventType.UPDATED))).at("/message/events/0");

        assertThat(event.get("hubKey").asText()).isEqualTo("defaulthub");
    }

    @Test
    void eventIdIsStableForSameInstanceResourceObjectAndDate() {
        String id = NotificationBuilder.eventId(42, "contacts", change("A1", T1, EventType.CREATED));

        assertThat(NotificationBuilder.eventId(42, "contacts", change("A1", T1, EventType.UPDATED))).isEqualTo(id);
        assertThat(NotificationBuilder.eventId(43, "contacts", change("A1", T1, EventType.CREATED))).isNotEqualTo(id);
        assertThat(NotificationBuilder.eventId(42, "companies", change("A1", T1, EventType.CREATED))).isNotEqualTo(id);
        assertThat(NotificationBuilder.eventId(42, "contacts", change("A2", T1, EventType.CREATED))).isNotEqualTo(id);
        assertThat(NotificationBuilder.eventId(42, "contacts", change("A1", T1.plusMillis(1), EventType.CREATED))).isNotEqualTo(id);
    }

    @Test
    void sameBatchBuiltTwiceHasTheSameEventIdsAndANewerMessageId() throws Exception {
        List<DetectedChange> batch = List.of(change("A1", T1, EventType.CREATED));

        JsonNode first = build(poll("/hubs/crm/contacts"), batch);
        JsonNode second = build(poll("/hubs/crm/contacts"), batch);

        assertThat(second.at("/message/events/0/id")).isEqualTo(first.at("/message/events/0/id"));
        // a notification's id is made once, when it is stored (retries resend it); ids sort in the order they were made
        assertThat(second.at("/message/id").asText()).isGreaterThan(first.at("/message/id").asText());
    }

    @Test
    void acceptsTenChangesAndRejectsEleven() {
        List<DetectedChange> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(change("id" + i, T1, EventType.UPDATED));
        }
        Poll poll = poll("/hubs/crm/contacts");

        assertThat(builder.build(poll.instance(), poll.resource(), ELEMENT, POLL_TIME, batch).events()).hasSize(10);
        batch.add(change("id10", T1, EventType.UPDATED));
        assertThatThrownBy(() -> builder.build(poll.instance(), poll.resource(), ELEMENT, POLL_TIME, batch))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10");
    }

    @Test
    void storedNotificationDescribesTheBodyItCarries() throws Exception {
        Poll poll = poll("/hubs/crm/contacts");
        DetectedChange created = change("A1", T1, EventType.CREATED);
        DetectedChange updated = change("B2", T1.plusSeconds(1), EventType.UPDATED);

        OutboxNotification notification = builder.build(poll.instance(), poll.resource(), ELEMENT, POLL_TIME, List.of(created, updated));

        JsonNode message = MAPPER.readTree(notification.body()).get("message");
        assertThat(notification.id()).isEqualTo(message.get("id").asText());
        assertThat(notification.instanceId()).isEqualTo(42);
        assertThat(notification.resource()).isEqualTo("contacts");
        assertThat(notification.attempts()).isZero();
        assertThat(notification.createdAt()).isEqualTo(POLL_TIME.toEpochMilli());
        assertThat(notification.eventCount()).isEqualTo(2);
        assertThat(notification.events()).containsExactly(
                new OutboxEvent(NotificationBuilder.eventId(42, "contacts", created), "A1", "CREATED", T1.toEpochMilli()),
                new OutboxEvent(NotificationBuilder.eventId(42, "contacts", updated), "B2", "UPDATED", T1.plusSeconds(1).toEpochMilli()));
        assertThat(message.get("events").get(1).get("id").asText()).isEqualTo(notification.events().get(1).id());
    }

    @Test
    void instanceWithoutTagsSendsAnEmptyTagList() throws Exception {
        Poll tagged = poll("/hubs/crm/contacts");
        InstanceDefinition i = tagged.instance();
        InstanceDefinition untagged = new InstanceDefinition(i.id(), i.token(), i.elementKey(), i.name(), List.of(), i.body(),
                true, i.callbackUrl(), i.signatureKey(), i.refreshIntervalMillis(), i.timezone(), i.resources(), i.createdAt());

        JsonNode tags = build(new Poll(untagged, tagged.resource()), List.of(change("A1", T1, EventType.CREATED))).at("/message/instanceTags");

        assertThat(tags.isArray()).isTrue();
        assertThat(tags).isEmpty();
    }
}
