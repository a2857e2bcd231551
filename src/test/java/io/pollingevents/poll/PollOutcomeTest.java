package io.pollingevents.poll;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.hub.HubCallException;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.PollSkippedException;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;

import static io.pollingevents.poll.PollFixtures.ELEMENT;
import static io.pollingevents.poll.PollFixtures.INSTANCE_ID;
import static io.pollingevents.poll.PollFixtures.POLL_TIME;
import static io.pollingevents.poll.PollFixtures.RESOURCE;
import static io.pollingevents.poll.PollFixtures.WATERMARK;
import static io.pollingevents.poll.PollFixtures.answerPage;
import static io.pollingevents.poll.PollFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollOutcomeTest {
    private static final String STAYS = " (the watermark stays; the next poll asks the hub again)";

    private final FakeWatermarkStore watermarks = new FakeWatermarkStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PollOutcome outcome = new PollOutcome(watermarks, new EngineMetrics(registry));
    private final HubLimits limits = PollFixtures.limits();
    private final PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), new Watermark(WATERMARK, Set.of()), limits);
    private final Exchange exchange = PollFixtures.exchange(poll);

    /** The poll read its pages, the last one still open: the element's only hub slot is taken. */
    private void readPages(int pages) throws Exception {
        for (int i = 1; i <= pages; i++) {
            answerPage(exchange, limits, i < pages ? "page" + (i + 1) : null);
        }
        assertThatThrownBy(() -> limits.acquire(ELEMENT)).isInstanceOf(HubCallException.class);
    }

    private void assertHubSlotGivenBack() {
        assertThatCode(() -> limits.acquire(ELEMENT)).doesNotThrowAnyException();
    }

    private void failWith(Throwable error) {
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, error);
        outcome.failed(exchange);
    }

    private String recordedResult() {
        assertThat(watermarks.recorded).hasSize(1);
        FakeWatermarkStore.RecordedPoll recorded = watermarks.recorded.get(0);
        assertThat(recorded.instanceId()).isEqualTo(INSTANCE_ID);
        assertThat(recorded.resource()).isEqualTo(RESOURCE);
        assertThat(recorded.at()).isEqualTo(POLL_TIME);
        return recorded.result();
    }

    @Test
    void successOfOnePageRecordsCountsAndGivesTheHubSlotBack() throws Exception {
        readPages(1);
        poll.records().set(3);
        poll.eventsStored().set(2);

        outcome.succeeded(exchange);

        assertThat(recordedResult()).isEqualTo("ok: 3 records, 2 events stored for delivery");
        assertThat(count(registry, "polling.polls", "outcome", "ok")).isEqualTo(1);
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isZero();
        assertHubSlotGivenBack();
    }

    @Test
    void successOfSeveralPagesNamesThePagesAndTheInvalidRecords() throws Exception {
        readPages(2);
        poll.records().set(5);
        poll.invalidRecords().set(1);

        outcome.succeeded(exchange);

        assertThat(recordedResult())
                .isEqualTo("ok: 5 records in 2 pages, 0 events stored for delivery, 1 invalid record skipped (see log)");
        assertHubSlotGivenBack();
    }

    @Test
    void successWithoutPagesOrRecordsIsAPlainOk() {
        outcome.succeeded(exchange);

        assertThat(recordedResult()).isEqualTo("ok: 0 records, 0 events stored for delivery");
        assertThat(count(registry, "polling.polls", "outcome", "ok")).isEqualTo(1);
    }

    @Test
    void hubErrorIsRecordedWithTheHubsMessageCountedAndGivesTheSlotBack() throws Exception {
        readPages(1);

        failWith(new HubCallException("hub answered 500 to GET https://hub.example/v1/candidates: oops"));

        assertThat(recordedResult()).isEqualTo("failed: hub answered 500 to GET https://hub.example/v1/candidates: oops" + STAYS);
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isEqualTo(1);
        assertThat(count(registry, "polling.polls", "outcome", "ok")).isZero();
        assertThat(count(registry, "polling.hub.errors")).isEqualTo(1);
        assertHubSlotGivenBack();
    }

    @Test
    void hubErrorWrappedByCamelIsStillAHubErrorWithItsOwnMessage() {
        failWith(new IllegalStateException("route failed", new HubCallException("hub answered 503", new IOException("reset"))));

        assertThat(recordedResult()).isEqualTo("failed: hub answered 503" + STAYS);
        assertThat(count(registry, "polling.hub.errors")).isEqualTo(1);
    }

    @Test
    void networkErrorCountsAsHubErrorAndNamesTheRootCause() {
        failWith(new RuntimeException("route failed", new ConnectException("Connection refused")));

        assertThat(recordedResult()).isEqualTo("failed: ConnectException: Connection refused" + STAYS);
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isEqualTo(1);
        assertThat(count(registry, "polling.hub.errors")).isEqualTo(1);
    }

    @Test
    void otherErrorIsAFailedPollButNoHubError() throws Exception {
        readPages(1);

        failWith(new IllegalArgumentException("bad record"));

        assertThat(recordedResult()).isEqualTo("failed: IllegalArgumentException: bad record" + STAYS);
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isEqualTo(1);
        assertThat(count(registry, "polling.hub.errors")).isZero();
        assertHubSlotGivenBack();
    }

    @Test
    void failureWithoutAnExceptionIsAnUnknownError() {
        outcome.failed(exchange);

        assertThat(recordedResult()).isEqualTo("failed: unknown error" + STAYS);
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isEqualTo(1);
        assertThat(count(registry, "polling.hub.errors")).isZero();
    }

    @Test
    void failureThatCannotBeRecordedIsStillCountedAndDoesNotThrow() throws Exception {
        readPages(1);
        watermarks.recordFailure = new IllegalStateException("database down");

        assertThatCode(() -> failWith(new HubCallException("hub answered 500"))).doesNotThrowAnyException();

        assertThat(count(registry, "polling.polls", "outcome", "failed")).isEqualTo(1);
        assertHubSlotGivenBack();
    }

    @Test
    void skippedPollIsNeitherRecordedNorCounted() {
        failWith(new PollSkippedException("the hub rate-limited this instance until 2024-11-27T12:01:00Z"));

        assertThat(watermarks.recorded).isEmpty();
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().startsWith("polling.polls")
                || m.getId().getName().startsWith("polling.hub"));
    }

    @Test
    void pollThatCouldNotStartIsNeitherRecordedNorCounted() {
        Exchange notStarted = PollFixtures.exchange();
        notStarted.setProperty(PollStarter.INSTANCE_ID, INSTANCE_ID);
        notStarted.setProperty(PollStarter.RESOURCE, RESOURCE);
        notStarted.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("instance 7 no longer exists"));

        assertThatCode(() -> outcome.failed(notStarted)).doesNotThrowAnyException();

        assertThat(watermarks.recorded).isEmpty();
        assertThat(count(registry, "polling.polls", "outcome", "failed")).isZero();
    }

    @Test
    void describeKeepsTheMessagesOfHubAndSkipErrorsAndNamesOthersByClass() {
        assertThat(PollOutcome.describe(null)).isEqualTo("unknown error");
        assertThat(PollOutcome.describe(new HubCallException("hub answered 404"))).isEqualTo("hub answered 404");
        assertThat(PollOutcome.describe(new PollSkippedException("rate-limited"))).isEqualTo("rate-limited");
        assertThat(PollOutcome.describe(new RuntimeException("outer", new IllegalStateException("inner", new IOException("root")))))
                .isEqualTo("IOException: root");
        assertThat(PollOutcome.describe(new RuntimeException("outer", new HubCallException("hub answered 502", new IOException("eof")))))
                .isEqualTo("hub answered 502");
    }

    @Test
    void pollsThatStoredOrSkippedSomethingAreLoggedAtInfoQuietOnesAtDebug() {
        try (LogCapture log = LogCapture.of(PollOutcome.class)) {
            outcome.succeeded(exchange);
            assertThat(log.at(Level.INFO)).isEmpty();
            assertThat(log.at(Level.DEBUG)).containsExactly(poll.label() + ": ok: 0 records, 0 events stored for delivery");

            poll.eventsStored().set(1);
            outcome.succeeded(exchange);
            poll.eventsStored().set(0);
            poll.invalidRecords().set(1);
            outcome.succeeded(exchange);

            assertThat(log.at(Level.INFO)).containsExactly(
                    poll.label() + ": ok: 0 records, 1 event stored for delivery",
                    poll.label() + ": ok: 0 records, 0 events stored for delivery, 1 invalid record skipped (see log)");
        }
    }
}
