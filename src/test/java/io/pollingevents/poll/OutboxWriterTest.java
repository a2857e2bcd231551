package io.pollingevents.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.EventType;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pollingevents.poll.PollFixtures.INSTANCE_ID;
import static io.pollingevents.poll.PollFixtures.MAPPER;
import static io.pollingevents.poll.PollFixtures.POLL_TIME;
import static io.pollingevents.poll.PollFixtures.RESOURCE;
import static io.pollingevents.poll.PollFixtures.WATERMARK;
import static io.pollingevents.poll.PollFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

class OutboxWriterTest {
    private static final Instant T1 = WATERMARK.plusSeconds(60);
    private static final Instant T2 = WATERMARK.plusSeconds(120);
    private static final Instant T3 = WATERMARK.plusSeconds(180);
    private static final Watermark START = new Watermark(WATERMARK, Set.of("w"));

    private final FakeOutboxStore outbox = new FakeOutboxStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger wakes = new AtomicInteger();

    private OutboxWriter writer(int chunkSize) {
        return new OutboxWriter(new NotificationBuilder(MAPPER), outbox, new EngineMetrics(registry), chunkSize, wakes::incrementAndGet);
    }

    private static DetectedChange change(String id, Instant date) {
        return new DetectedChange(id, date, EventType.UPDATED, MAPPER.createObjectNode().put("id", id));
    }

    private static void collect(OutboxWriter writer, Exchange exchange, DetectedChange... changes) {
        for (DetectedChange change : changes) {
            writer.collect(change, exchange);
        }
    }

    @Test
    void storesAChunkOnceEnoughChangesGatheredWithoutMovingTheWatermark() {
        OutboxWriter writer = writer(3);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);

        collect(writer, exchange, change("a", T1), change("b", T2));

        assertThat(outbox.saved).isEmpty();
        assertThat(poll.pending()).hasSize(2);

        collect(writer, exchange, change("c", T3));

        assertThat(outbox.saved).hasSize(1);
        FakeOutboxStore.SavedPoll chunk = outbox.saved.get(0);
        assertThat(chunk.instanceId()).isEqualTo(INSTANCE_ID);
        assertThat(chunk.resource()).isEqualTo(RESOURCE);
        assertThat(chunk.objectIds()).containsExactly("a", "b", "c");
        assertThat(chunk.expected()).isEqualTo(START);
        assertThat(chunk.watermark()).isNull();
        assertThat(poll.pending()).isEmpty();
        assertThat(poll.eventsStored()).hasValue(3);
        assertThat(count(registry, "polling.events.found")).isEqualTo(3);
        assertThat(count(registry, "polling.events.emitted")).isEqualTo(3);
    }

    @Test
    void storeSavesTheRestAndMovesTheWatermarkPastEverythingThePollStored() {
        OutboxWriter writer = writer(2);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        collect(writer, exchange, change("a", T1), change("b", T3), change("c", T2));

        writer.store(exchange);

        assertThat(outbox.saved).hasSize(2);
        FakeOutboxStore.SavedPoll last = outbox.saved.get(1);
        assertThat(last.objectIds()).containsExactly("c");
        assertThat(last.expected()).isEqualTo(START);
        assertThat(last.watermark()).isEqualTo(new Watermark(T3, Set.of("b")));
        assertThat(poll.eventsStored()).hasValue(3);
        assertThat(poll.pending()).isEmpty();
    }

    @Test
    void storeAfterChunksWithNothingLeftStillMovesTheWatermark() {
        OutboxWriter writer = writer(2);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        collect(writer, exchange, change("a", T2), change("b", T2));

        writer.store(exchange);

        assertThat(outbox.saved).hasSize(2);
        FakeOutboxStore.SavedPoll last = outbox.saved.get(1);
        assertThat(last.notifications()).isEmpty();
        assertThat(last.watermark()).isEqualTo(new Watermark(T2, Set.of("a", "b")));
        assertThat(poll.eventsStored()).hasValue(2);
        assertThat(wakes).as("delivery is woken by the chunk that stored notifications, not by the watermark move").hasValue(1);
    }

    @Test
    void pollThatFoundNothingStoresNothing() {
        OutboxWriter writer = writer(2);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());

        writer.store(PollFixtures.exchange(poll));

        assertThat(outbox.saved).isEmpty();
        assertThat(count(registry, "polling.events.found")).isZero();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void changesAreStoredOldestFirstThenByObjectIdInNotificationsOfAtMostTen() {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        for (int i = 22; i >= 0; i--) {
            collect(writer, exchange, change(String.format("o%02d", i % 2 == 0 ? i : 24 - i), T1.plusSeconds(i / 2)));
        }

        writer.store(exchange);

        assertThat(outbox.saved).hasSize(1);
        List<OutboxNotification> notifications = outbox.saved.get(0).notifications();
        assertThat(notifications).extracting(OutboxNotification::eventCount).containsExactly(10, 10, 3);
        List<Instant> dates = notifications.stream().flatMap(n -> n.events().stream())
                .map(e -> Instant.ofEpochMilli(e.eventDate())).toList();
        assertThat(dates).isSorted().hasSize(23);
        List<String> firstIds = notifications.get(0).events().stream().map(e -> e.objectId()).toList();
        assertThat(firstIds.subList(0, 4)).containsExactly("o00", "o23", "o02", "o21");
        assertThat(poll.eventsStored()).hasValue(23);
    }

    @Test
    void twentyChangesMakeExactlyTwoNotifications() {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        for (int i = 0; i < 20; i++) {
            collect(writer, exchange, change("o" + i, T1.plusMillis(i)));
        }

        writer.store(exchange);

        assertThat(outbox.saved.get(0).notifications()).extracting(OutboxNotification::eventCount).containsExactly(10, 10);
    }

    @Test
    void recordListedTwiceOrAlreadyInTheOutboxIsStoredOnce() {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        DetectedChange earlierAttempt = change("old", T1);
        outbox.eventIds.add(NotificationBuilder.eventId(INSTANCE_ID, RESOURCE, earlierAttempt));
        collect(writer, exchange, change("a", T2), change("a", T2), earlierAttempt, change("b", T3));

        writer.store(exchange);

        FakeOutboxStore.SavedPoll saved = outbox.saved.get(0);
        assertThat(saved.objectIds()).containsExactly("a", "b");
        assertThat(saved.watermark()).isEqualTo(new Watermark(T3, Set.of("b")));
        assertThat(poll.eventsStored()).hasValue(2);
        assertThat(count(registry, "polling.events.found")).isEqualTo(4);
        assertThat(count(registry, "polling.events.emitted")).isEqualTo(2);
    }

    @Test
    void notificationsCarryThePollsInstanceElementAndPollTime() throws Exception {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        collect(writer, exchange, change("a", T1));

        writer.store(exchange);

        OutboxNotification notification = outbox.saved.get(0).notifications().get(0);
        assertThat(notification.instanceId()).isEqualTo(INSTANCE_ID);
        assertThat(notification.createdAt()).isEqualTo(POLL_TIME.toEpochMilli());
        JsonNode message = MAPPER.readTree(notification.body()).get("message");
        assertThat(message.get("instanceName").asText()).isEqualTo("inst");
        assertThat(message.get("pollDate").asText()).isEqualTo(POLL_TIME.toString());
        // the resource URL names no hub, so the element's hub is the event's hubKey
        assertThat(message.at("/events/0/hubKey").asText()).isEqualTo("humancapital");
    }

    @Test
    void resourceWithoutDatesMovesItsWatermarkToThePollTime() {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.withoutDates(), START, PollFixtures.limits());
        Exchange exchange = PollFixtures.exchange(poll);
        collect(writer, exchange, new DetectedChange("a", POLL_TIME, EventType.UNKNOWN, MAPPER.createObjectNode()));

        writer.store(exchange);

        FakeOutboxStore.SavedPoll saved = outbox.saved.get(0);
        assertThat(saved.objectIds()).containsExactly("a");
        assertThat(saved.watermark()).isEqualTo(new Watermark(POLL_TIME, Set.of()));
    }

    @Test
    void resourceWithoutDatesRecordsItsPollTimeEvenWhenNothingWasFound() {
        OutboxWriter writer = writer(1_000);
        PollContext poll = PollFixtures.poll(PollFixtures.withoutDates(), START, PollFixtures.limits());

        writer.store(PollFixtures.exchange(poll));

        assertThat(outbox.saved).hasSize(1);
        assertThat(outbox.saved.get(0).notifications()).isEmpty();
        assertThat(outbox.saved.get(0).watermark()).isEqualTo(new Watermark(POLL_TIME, Set.of()));
    }
}
