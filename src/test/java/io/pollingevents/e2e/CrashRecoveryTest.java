package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.Seeds;
import io.pollingevents.support.Stubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.SR;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills the engine process with SIGKILL at moments defined by what it is doing (delivering, polling, starting)
 * while records change at the hub and notifications are being delivered, restarts it each time, and checks that
 * every change arrives, that no event id ever arrives with two different bodies, and that there is one event id
 * per change.
 */
class CrashRecoveryTest {
    static final String HUB_PATH = "/hubs/humancapital/candidates";
    static final UUID HUB_STUB = UUID.randomUUID();

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
    final Map<String, String[]> records = new LinkedHashMap<>(); // id -> {createdOn, updatedOn}
    final Set<String> updated = new HashSet<>();
    final List<String> changes = new ArrayList<>();             // "id@updatedOn" in order
    final Random random = new Random(20261127);
    final Random killMoments = new Random(20261128);
    EngineProcess engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
    }

    @Test
    void everyChangeArrivesOnceThroughRandomKills() throws Exception {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200).withUniformRandomDelay(5, 120)));
        publish();
        Path log = Path.of("target", "crash-recovery-engine.log"); // kept for diagnosis
        java.nio.file.Files.deleteIfExists(log);
        Map<String, String> props = Map.of("polling.delivery.poll-interval", "50ms",
                "polling.delivery.retry-schedule", "100ms,200ms,300ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms",
                "polling.delivery.jitter", "0");
        engine = EngineProcess.start(data, props, log);
        var created = engine.post(Seeds.hubExample("smartrecruiters", Map.of("api.key", "k", "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.0167")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long instanceId = Seeds.id(created.body());
        // records are dated after the instance's creation (the first watermark), to the millisecond
        Instant createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(createdAt));

        ScheduledExecutorService mutator = Executors.newSingleThreadScheduledExecutor();
        mutator.scheduleWithFixedDelay(this::change, 0, 60, TimeUnit.MILLISECONDS);
        try {
            for (int kill = 0; kill < 7; kill++) {
                awaitKillMoment(kill);
                engine.kill();
                engine = EngineProcess.start(data, props, log);
            }
        } finally {
            mutator.shutdown();
            mutator.awaitTermination(5, TimeUnit.SECONDS);
        }
        List<String> expected;
        synchronized (this) {
            expected = List.copyOf(changes);
        }
        assertThat(expected).hasSizeGreaterThan(40);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(receivedChanges()).containsAll(expected));
        // the hub answer no longer changes: once a poll of it ended and nothing is pending (a notification that was
        // sent but not yet marked delivered when the engine was killed is sent again), nothing more will arrive
        awaitSettled(() -> engine.get("/" + instanceId), Instant.now());

        Map<String, Set<String>> bodiesByEventId = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        for (LoggedRequest request : Receiver.requests(hub, "/callback")) {
            for (JsonNode event : Receiver.message(request).path("events")) {
                eventIds.add(event.path("id").asText());
                bodiesByEventId.computeIfAbsent(event.path("id").asText(), id -> new HashSet<>()).add(request.getBodyAsString());
            }
        }
        assertThat(bodiesByEventId).allSatisfy((id, bodies) -> assertThat(bodies).as("bodies carrying event " + id).hasSize(1));
        assertThat(receivedChanges()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(eventIds).hasSize(expected.size());
    }

    /**
     * Waits, after a (re)start, for the moment of the next SIGKILL. The moments are defined by what the engine has
     * done since it started, in turn: in the middle of deliveries (as soon as the receiver got 1 to 4 more
     * notifications; it answers each within 5 to 120 ms, so one is usually in flight), in the middle of a poll (as
     * soon as the hub was asked 1 or 2 more times: the engine is reading the answer or writing the outbox) and at
     * once (while it starts its routes and sends what an earlier process left pending). The counts are drawn from
     * a seeded random.
     */
    void awaitKillMoment(int kill) {
        switch (kill % 3) {
            case 0 -> {
                int notifications = Receiver.requests(hub, "/callback").size() + 1 + killMoments.nextInt(4);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                        .until(() -> Receiver.requests(hub, "/callback").size() >= notifications);
            }
            case 1 -> {
                int polls = hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).size() + 1 + killMoments.nextInt(2);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                        .until(() -> hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).size() >= polls);
            }
            default -> {
                // right after the API answers
            }
        }
    }

    /** Creates a candidate, or updates once a candidate whose creation the receiver already has. */
    synchronized void change() {
        try {
            String now = SR.format(Instant.now());
            List<String> updatable = new ArrayList<>();
            if (random.nextBoolean()) {
                Set<String> received = receivedChanges();
                for (Map.Entry<String, String[]> r : records.entrySet()) {
                    if (!updated.contains(r.getKey()) && received.contains(r.getKey() + "@" + r.getValue()[1])) {
                        updatable.add(r.getKey());
                    }
                }
            }
            if (updatable.isEmpty()) {
                String id = "c" + (records.size() + 1);
                records.put(id, new String[] {now, now});
                changes.add(id + "@" + now);
            } else {
                String id = updatable.get(random.nextInt(updatable.size()));
                if (records.get(id)[1].equals(now)) {
                    return; // same millisecond as its creation: not a visible change
                }
                records.get(id)[1] = now;
                updated.add(id);
                changes.add(id + "@" + now);
            }
            publish();
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private void publish() {
        StringBuilder json = new StringBuilder("[");
        records.forEach((id, dates) -> json.append(json.length() > 1 ? "," : "")
                .append("{\"id\":\"").append(id).append("\",\"createdOn\":\"").append(dates[0])
                .append("\",\"updatedOn\":\"").append(dates[1]).append("\"}"));
        Stubs.put(hub, HUB_STUB, get(urlPathEqualTo(HUB_PATH)).willReturn(okJson(json.append("]").toString())));
    }

    private Set<String> receivedChanges() {
        Set<String> received = new HashSet<>();
        for (JsonNode event : Receiver.events(hub, "/callback")) {
            received.add(event.path("objectId").asText() + "@" + SR.format(Instant.parse(event.path("eventDate").asText())));
        }
        return received;
    }
}
