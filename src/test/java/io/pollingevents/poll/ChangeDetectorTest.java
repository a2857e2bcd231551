package io.pollingevents.poll;

import io.pollingevents.element.VendorCall;
import java.time.Duration;
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
import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
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
            new ElementDescriptor("smartrecruiters", "SmartRecruiters", "humancapital", "https://hub", null, null, null, null, null, null, null, null, null, null, null);

    private static final VendorCall CALL = new VendorCall("GET", "/hubs/x/y", null, "", Pagination.NONE, null, false);

    private final ChangeDetector detector = new ChangeDetector();

    private static DateField field(String name) {
        return new DateField(name, FMT, DatePatterns.compile(FMT), ZoneId.of("GMT"));
    }

    private static ResourceConfig candidates(DateField updated, DateField created) {
        return new ResourceConfig("candidates", "/hubs/humancapital/candidates", "id", updated, created, CALL, Duration.ZERO);
    }

    private static PollContext poll(ResourceConfig resource, Set<String> idsAtWatermark) {
        InstanceDefinition instance = new InstanceDefinition(7, "token", "smartrecruiters", "inst", List.of(),
                MAPPER.createObjectNode(), true, "http://127.0.0.1/cb", null, 60_000, ZoneOffset.UTC,
                List.of(resource), Instant.EPOCH);
        Instant windowStart = WATERMARK.minus(resource.lookback());
        return new PollContext(instance, resource, ELEMENT, new Watermark(WATERMARK, idsAtWatermark), windowStart, POLL_TIME,
                new HubSession(instance, resource, ELEMENT, windowStart, new HubLimits(Clock.systemUTC(), 1_000)));
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
    void withinTheLookbackARecordBeforeTheWatermarkIsAChangeAndBeforeItNot() {
        ResourceConfig resource = new ResourceConfig("candidates", "/hubs/x/y", "id", field("updatedOn"), null, CALL,
                Duration.ofSeconds(1));

        DetectedChange sameSecond = detector.detectChange(
                json("{'id':'late','updatedOn':'2024-11-27T09:59:59.500Z'}"), poll(resource, Set.of("seen")));
        DetectedChange older = detector.detectChange(
                json("{'id':'old','updatedOn':'2024-11-27T09:59:58.999Z'}"), poll(resource, Set.of("seen")));
        DetectedChange seenAtWatermark = detector.detectChange(
                json("{'id':'seen','updatedOn':'2024-11-27T10:00:00.000Z'}"), poll(resource, Set.of("seen")));

        assertThat(sameSecond).isNotNull();
        assertThat(sameSecond.date()).isEqualTo(Instant.parse("2024-11-27T09:59:59.500Z"));
        assertThat(older).isNull();
        assertThat(seenAtWatermark).isNull();
    }

    @Test
    void readsNestedIdAndDateByDottedPath() {
        ResourceConfig resource = new ResourceConfig("candidates", "/hubs/x/y", "meta.key",
                new DateField("meta.updated", FMT, DatePatterns.compile(FMT), ZoneOffset.UTC), null, CALL, Duration.ZERO);

        DetectedChange change = detector.detectChange(
                json("{'meta':{'key':'k9','updated':'2024-11-27T11:00:00.000Z'}}"), poll(resource, Set.of()));

        assertThat(change.objectId()).isEqualTo("k9");
        assertThat(change.type()).isEqualTo(EventType.UPDATED);
    }

    @Test
    void camelEntryPointReadsThePollFromTheExchange() {
        PollContext poll = bothDates();
        Exchange exchange = PollFixtures.exchange(poll);

        DetectedChange change = detector.detect(json("{'id':'c1','updatedOn':'2024-11-27T10:31:00.000Z'}"), exchange);

        assertThat(change).isNotNull();
        assertThat(change.objectId()).isEqualTo("c1");
        assertThat(change.type()).isEqualTo(EventType.UPDATED);
        assertThat(poll.records()).hasValue(1);
    }

    @Test
    void missingCreatedDateMakesAnUpdateWithoutCountingInvalid() {
        PollContext poll = bothDates();

        DetectedChange change = detector.detectChange(json("{'id':'c1','updatedOn':'2024-11-27T10:31:00.000Z'}"), poll);

        assertThat(change.type()).isEqualTo(EventType.UPDATED);
        assertThat(detector.detectChange(json("{'id':'c2','createdOn':'not a date','updatedOn':'2024-11-27T10:31:00.000Z'}"), poll)
                .type()).isEqualTo(EventType.UPDATED);
        assertThat(poll.invalidRecords()).hasValue(0);
    }

    @Test
    void objectCreatedAtTheWatermarkAndAlreadyDeliveredThereIsUpdatedLater() {
        PollContext poll = poll(candidates(field("updatedOn"), field("createdOn")), Set.of("seen"));

        DetectedChange change = detector.detectChange(json(
                "{'id':'seen','createdOn':'2024-11-27T10:00:00.000Z','updatedOn':'2024-11-27T10:05:00.000Z'}"), poll);

        assertThat(change.type()).isEqualTo(EventType.UPDATED);
    }

    @Test
    void datesAreComparedInMillisecondsSoFinerDigitsDoNotRedeliver() {
        DateField unformatted = new DateField("modified", null, null, ZoneOffset.UTC);
        PollContext poll = poll(candidates(unformatted, null), Set.of("seen"));

        assertThat(detector.detectChange(json("{'id':'seen','modified':'2024-11-27T10:00:00.000900Z'}"), poll)).isNull();
        DetectedChange fresh = detector.detectChange(json("{'id':'new','modified':'2024-11-27T10:00:00.000900Z'}"), poll);
        assertThat(fresh.date()).isEqualTo(WATERMARK);
    }

    @Test
    void fieldWithADotInItsNameIsReadBeforeAPath() {
        ResourceConfig resource = new ResourceConfig("candidates", "/hubs/x/y", "meta.key",
                new DateField("updated", FMT, DatePatterns.compile(FMT), ZoneOffset.UTC), null, CALL, Duration.ZERO);

        DetectedChange change = detector.detectChange(
                json("{'meta.key':'flat','meta':{'key':'nested'},'updated':'2024-11-27T11:00:00.000Z'}"), poll(resource, Set.of()));

        assertThat(change.objectId()).isEqualTo("flat");
    }

    @Test
    void idThatIsAnObjectOrMissingOnTheWayIsInvalid() {
        ResourceConfig resource = new ResourceConfig("candidates", "/hubs/x/y", "meta.key",
                new DateField("updated", FMT, DatePatterns.compile(FMT), ZoneOffset.UTC), null, CALL, Duration.ZERO);
        PollContext poll = poll(resource, Set.of());

        assertThat(detector.detectChange(json("{'meta':{'key':{'a':1}},'updated':'2024-11-27T11:00:00.000Z'}"), poll)).isNull();
        assertThat(detector.detectChange(json("{'other':{'key':'k'},'updated':'2024-11-27T11:00:00.000Z'}"), poll)).isNull();
        assertThat(detector.detectChange(json("{'meta':{'key':null},'updated':'2024-11-27T11:00:00.000Z'}"), poll)).isNull();
        assertThat(poll.invalidRecords()).hasValue(3);
    }

    @Test
    void skippedRecordsAreExplainedInTheLog() {
        PollContext poll = poll(candidates(field("updatedOn"), null), Set.of());
        PollContext unformatted = poll(candidates(new DateField("modified", null, null, ZoneOffset.UTC), null), Set.of());

        try (LogCapture log = LogCapture.of(ChangeDetector.class)) {
            detector.detectChange(json("{'id':'c1','updatedOn':'  '}"), poll);
            detector.detectChange(json("{'id':'c2','updatedOn':'27.11.2024 11:00'}"), poll);
            detector.detectChange(json("{'id':'c3','modified':'yesterday'}"), unformatted);
            detector.detectChange(json("{'id':'c4','updatedOn':null}"), poll);

            assertThat(log.at(Level.WARN)).satisfiesExactly(
                    blank -> assertThat(blank).contains("record c1 has no 'updatedOn' date"),
                    formatted -> assertThat(formatted).contains("record c2 has 'updatedOn' = '27.11.2024 11:00'")
                            .contains("the format '" + FMT + "'"),
                    iso -> assertThat(iso).contains("record c3 has 'modified' = 'yesterday'")
                            .contains("the format 'epoch millis or ISO-8601'"),
                    nullDate -> assertThat(nullDate).contains("record c4 has no 'updatedOn' date"));
        }
    }

    @Test
    void patternDateIsReadWithItsPatternInTheFieldsZone() {
        String pattern = "dd.MM.yyyy HH:mm";
        DateField local = new DateField("changed", pattern, DatePatterns.compile(pattern), ZoneId.of("Europe/Zurich"));
        PollContext poll = poll(candidates(local, null), Set.of());

        DetectedChange change = detector.detectChange(json("{'id':'c1','changed':'27.11.2024 11:30'}"), poll);

        assertThat(change.date()).isEqualTo(Instant.parse("2024-11-27T10:30:00Z"));
        assertThat(poll.invalidRecords()).hasValue(0);
    }

    @Test
    void epochMillisWrittenAsADecimalNumberAreStillEpochMillis() {
        PollContext poll = poll(candidates(new DateField("modified", null, null, ZoneOffset.UTC), null), Set.of());
        long millis = WATERMARK.plusSeconds(90).toEpochMilli();

        DetectedChange change = detector.detectChange(json("{'id':'a','modified':" + millis + ".0}"), poll);

        assertThat(change.date()).isEqualTo(WATERMARK.plusSeconds(90));
    }
}
