package io.pollingevents.poll;

import io.pollingevents.format.DatePatterns;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubSession;
import java.time.Clock;

import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.EventType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.config.DateField;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.Pagination;
import io.pollingevents.store.Watermark;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeDetectorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FMT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";
    private static final Instant WATERMARK = Instant.parse("2024-11-27T10:00:00Z");
    private static final Instant POLL_TIME = Instant.parse("2024-11-27T12:00:00Z");
    private static final ElementDescriptor ELEMENT =
            new ElementDescriptor("smartrecruiters", "SmartRecruiters", "humancapital", "https://hub", null, null, null, null, null, null, null);

    private final ChangeDetector detector = new ChangeDetector();

    private static DateField field(String name) {
        return new DateField(name, FMT, DatePatterns.compile(FMT), ZoneId.of("GMT"));
    }

    private static ResourceConfig candidates(DateField updated, DateField created) {
        return new ResourceConfig("candidates", "/hubs/humancapital/candidates", "id", updated, created, Pagination.NONE);
    }

    private static PollContext poll(ResourceConfig resource, Set<String> idsAtWatermark) {
        InstanceDefinition instance = new InstanceDefinition(7, "token", "smartrecruiters", "inst", List.of(),
                MAPPER.createObjectNode(), true, "http://127.0.0.1/cb", null, 60_000, ZoneOffset.UTC,
                List.of(resource), Instant.EPOCH);
        return new PollContext(instance, resource, ELEMENT, new Watermark(WATERMARK, idsAtWatermark), POLL_TIME,
                new HubSession(instance, resource, ELEMENT, WATERMARK, new HubLimits(Clock.systemUTC(), 1_000)));
    }

    private static PollContext bothDates() {
        return poll(candidates(field("updatedOn"), field("createdOn")), Set.of());
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void createdAfterWatermarkIsCreated() {
        PollContext poll = bothDates();

        DetectedChange change = detector.detectChange(json(
                "{'id':'c1','createdOn':'2024-11-27T10:30:00.000Z','updatedOn':'2024-11-27T10:31:00.000Z'}"), poll);

        assertThat(change.type()).isEqualTo(EventType.CREATED);
        assertThat(change.objectId()).isEqualTo("c1");
        assertThat(change.date()).isEqualTo(Instant.parse("2024-11-27T10:31:00Z"));
        assertThat(change.record().get("id").asText()).isEqualTo("c1");
        assertThat(poll.records()).hasValue(1);
        assertThat(poll.invalidRecords()).hasValue(0);
    }

    @Test
    void createdBeforeWatermarkButUpdatedAfterIsUpdated() {
        DetectedChange change = detector.detectChange(json(
                "{'id':'c1','createdOn':'2024-01-01T00:00:00.000Z','updatedOn':'2024-11-27T10:31:00.000Z'}"), bothDates());

        assertThat(change.type()).isEqualTo(EventType.UPDATED);
    }

    @Test
    void updatedBeforeWatermarkIsNotAnEvent() {
        PollContext poll = bothDates();

        assertThat(detector.detectChange(json(
                "{'id':'c1','createdOn':'2024-01-01T00:00:00.000Z','updatedOn':'2024-11-27T09:59:59.999Z'}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(0);
    }

    @Test
    void recordAtWatermarkIsSkippedOnlyWhenItsIdWasAlreadyDelivered() {
        PollContext poll = poll(candidates(field("updatedOn"), field("createdOn")), Set.of("seen"));
        String at = "2024-11-27T10:00:00.000Z";

        assertThat(detector.detectChange(json("{'id':'seen','createdOn':'" + at + "','updatedOn':'" + at + "'}"), poll)).isNull();
        DetectedChange fresh = detector.detectChange(json("{'id':'new','createdOn':'" + at + "','updatedOn':'" + at + "'}"), poll);
        assertThat(fresh).isNotNull();
        assertThat(fresh.type()).isEqualTo(EventType.CREATED);
        assertThat(fresh.date()).isEqualTo(WATERMARK);
    }

    @Test
    void onlyUpdatedDateConfiguredGivesUpdated() {
        PollContext poll = poll(candidates(field("updatedOn"), null), Set.of());

        assertThat(detector.detectChange(json("{'id':'c1','updatedOn':'2024-11-27T11:00:00.000Z'}"), poll).type())
                .isEqualTo(EventType.UPDATED);
    }

    @Test
    void onlyCreatedDateConfiguredGivesCreated() {
        PollContext poll = poll(candidates(null, field("createdOn")), Set.of());

        DetectedChange change = detector.detectChange(json("{'id':'c1','createdOn':'2024-11-27T11:00:00.000Z'}"), poll);

        assertThat(change.type()).isEqualTo(EventType.CREATED);
        assertThat(change.date()).isEqualTo(Instant.parse("2024-11-27T11:00:00Z"));
    }

    @Test
    void recordWithoutIdIsCountedInvalid() {
        PollContext poll = bothDates();

        assertThat(detector.detectChange(json("{'name':'x','updatedOn':'2024-11-27T11:00:00.000Z'}"), poll)).isNull();
        assertThat(detector.detectChange(json("{'id':'','updatedOn':'2024-11-27T11:00:00.000Z'}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(2);
        assertThat(poll.records()).hasValue(2);
    }

    @Test
    void recordWithoutChangeDateIsCountedInvalid() {
        PollContext poll = bothDates();

        assertThat(detector.detectChange(json("{'id':'c1'}"), poll)).isNull();
        assertThat(detector.detectChange(json("{'id':'c2','updatedOn':null}"), poll)).isNull();
        assertThat(detector.detectChange(json("{'id':'c3','updatedOn':'  '}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(3);
    }

    @Test
    void recordWithUnparseableDateIsCountedInvalid() {
        PollContext poll = bothDates();

        assertThat(detector.detectChange(json("{'id':'c1','updatedOn':'27.11.2024 11:00'}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(1);
    }

    @Test
    void resourceWithoutDatesGivesUnknownAtPollTime() {
        PollContext poll = poll(candidates(null, null), Set.of());

        DetectedChange change = detector.detectChange(json("{'id':42}"), poll);

        assertThat(change.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(change.objectId()).isEqualTo("42");
        assertThat(change.date()).isEqualTo(POLL_TIME);
    }

    @Test
    void unformattedDateFieldAcceptsEpochMillisAndIso() {
        DateField unformatted = new DateField("modified", null, null, ZoneOffset.UTC);
        PollContext poll = poll(candidates(unformatted, null), Set.of());

        assertThat(detector.detectChange(json("{'id':'a','modified':" + WATERMARK.plusMillis(1).toEpochMilli() + "}"), poll).date())
                .isEqualTo(WATERMARK.plusMillis(1));
        assertThat(detector.detectChange(json("{'id':'b','modified':'2024-11-27T11:30:00+01:00'}"), poll).date())
                .isEqualTo(Instant.parse("2024-11-27T10:30:00Z"));
        assertThat(detector.detectChange(json("{'id':'c','modified':'2024-11-27T10:59:59+01:00'}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(0);
    }

    @Test
    void readsNestedIdAndDateByDottedPath() {
        ResourceConfig resource = new ResourceConfig("candidates", "/hubs/x/y", "meta.key",
                new DateField("meta.updated", FMT, DatePatterns.compile(FMT), ZoneOffset.UTC), null, Pagination.NONE);

        DetectedChange change = detector.detectChange(
                json("{'meta':{'key':'k9','updated':'2024-11-27T11:00:00.000Z'}}"), poll(resource, Set.of()));

        assertThat(change.objectId()).isEqualTo("k9");
        assertThat(change.type()).isEqualTo(EventType.UPDATED);
    }
}
