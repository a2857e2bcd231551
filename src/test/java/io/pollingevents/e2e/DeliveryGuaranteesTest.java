package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.SR;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbox delivery as a receiver sees it: outages, Retry-After, dead letters and replay, Standard Webhooks, metrics. */
class DeliveryGuaranteesTest {
    static final String HUB_PATH = "/hubs/humancapital/candidates";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    long id;

    @BeforeEach
    void startServers() {
        hub.start();
        receiver.start();
        receiver.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
        receiver.stop();
    }

    void create(Map<String, Object> extra) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("api.key", "k", "base.url", hub.baseUrl(),
                "event.notification.callback.url", receiver.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02"));
        config.putAll(extra);
        var created = engine.post(Seeds.hubExample("smartrecruiters", config));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        id = Seeds.id(created.body());
    }

    void hubReturns(String... records) {
        hub.stubFor(get(urlPathEqualTo(HUB_PATH)).willReturn(okJson("[" + String.join(",", records) + "]")));
    }

    JsonNode events(String query) throws Exception {
        return Seeds.json("{\"e\":" + engine.get("/" + id + "/events" + query).body() + "}").path("e");
    }

    @Test
    void longOutageWith503RetryAfterThenRefusedConnectionsDeliversEverythingInOrderPerObject() throws Exception {
        engine = RunningEngine.start(data, Map.of("polling.delivery.retry-schedule",
                "200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"));
        receiver.stubFor(post("/callback").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")));
        Instant t = Instant.now().plusSeconds(20).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        hubReturns(candidate("x", t, t), candidate("y", t, t.plusMillis(1)));
        create(Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(receiver, "/callback").size() >= 3);
        List<LoggedRequest> attempts = Receiver.requests(receiver, "/callback");
        for (int i = 1; i < attempts.size(); i++) {
            long gap = attempts.get(i).getLoggedDate().getTime() - attempts.get(i - 1).getLoggedDate().getTime();
            assertThat(gap).as("Retry-After: 2 is honoured between attempts").isGreaterThanOrEqualTo(1900);
        }

        // the receiver disappears (connection refused) while x changes twice more
        int port = receiver.port();
        receiver.stop();
        hubReturns(candidate("x", t, t.plusSeconds(1)), candidate("y", t, t.plusMillis(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events("").size() >= 3);
        hubReturns(candidate("x", t, t.plusSeconds(2)), candidate("y", t, t.plusMillis(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events("").size() >= 4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("?status=pending"))
                .anySatisfy(e -> assertThat(e.path("lastError").asText()).contains("Connect")));

        receiver = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(30)).until(() -> Receiver.events(receiver, "/callback").size() >= 4);
        // nothing pending any more, and the next poll of the same hub answer sent nothing new
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        List<String> arrivals = new ArrayList<>();
        for (JsonNode e : Receiver.events(receiver, "/callback")) {
            arrivals.add(e.path("objectId").asText() + "@" + e.path("eventDate").asText());
        }
        assertThat(arrivals).containsExactlyInAnyOrder(
                "x@" + t, "y@" + t.plusMillis(1), "x@" + t.plusSeconds(1), "x@" + t.plusSeconds(2));
        assertThat(arrivals.stream().filter(a -> a.startsWith("x@")).toList())
                .containsExactly("x@" + t, "x@" + t.plusSeconds(1), "x@" + t.plusSeconds(2));
        assertThat(events("?status=delivered")).hasSize(4);
    }

    @Test
    void badRequestEndsInDeadLettersThatReplayDeliversOnceFixed() throws Exception {
        engine = RunningEngine.start(data, Map.of());
        receiver.stubFor(post("/callback").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"schema\"}")));
        Instant t = Instant.now().plusSeconds(20);
        hubReturns(candidate("a", t, t), candidate("b", t, t.plusMillis(5)));
        create(Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> Seeds.json(engine.get("/" + id).body()).path("deadNotifications").asInt() == 1);
        JsonNode dead = events("?status=dead");
        assertThat(dead).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("attempts").asInt()).isEqualTo(11);
            assertThat(e.path("lastStatus").asInt()).isEqualTo(400);
            assertThat(e.path("lastError").asText()).contains("schema");
        });
        int attempts = Receiver.requests(receiver, "/callback").size();
        assertThat(attempts).isEqualTo(11);

        receiver.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        var replay = engine.send(HttpRequest.newBuilder(URI.create(engine.api() + "/" + id + "/events/retry?status=dead"))
                .header("Authorization", RunningEngine.AUTH).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(Seeds.json(replay.body()).path("requeued").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("?status=delivered").size() == 2);
        assertThat(Receiver.requests(receiver, "/callback")).hasSize(attempts + 1);

        // a single event can be sent again on request, with the same body
        String eventId = events("").get(0).path("id").asText();
        var retry = engine.send(HttpRequest.newBuilder(URI.create(engine.api() + "/" + id + "/events/" + eventId + "/retry"))
                .header("Authorization", RunningEngine.AUTH).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(retry.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Receiver.requests(receiver, "/callback").size() == attempts + 2);
        List<LoggedRequest> all = Receiver.requests(receiver, "/callback");
        assertThat(all.get(all.size() - 1).getBodyAsString()).isEqualTo(all.get(all.size() - 2).getBodyAsString());
        var unknown = engine.send(HttpRequest.newBuilder(URI.create(engine.api() + "/" + id + "/events/nope/retry"))
                .header("Authorization", RunningEngine.AUTH).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(engine.get("/" + id + "/events?status=lost").statusCode()).isEqualTo(400);
    }

    @Test
    void standardWebhooksHeadersVerifyWithAnIndependentImplementation() throws Exception {
        engine = RunningEngine.start(data, Map.of());
        receiver.stubFor(post("/callback").inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        receiver.stubFor(post("/callback").inScenario("flaky").whenScenarioStateIs("up").willReturn(aResponse().withStatus(204)));
        byte[] secret = "a-32-byte-secret-for-the-tests!!".getBytes(StandardCharsets.UTF_8);
        String key = "whsec_" + Base64.getEncoder().encodeToString(secret);
        Instant t = Instant.now().plusSeconds(20);
        hubReturns(candidate("a", t, t));
        create(Map.of("event.notification.signature.key", key, "event.notification.signature.scheme", "standard-webhooks"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(receiver, "/callback").size() == 2);
        List<LoggedRequest> requests = Receiver.requests(receiver, "/callback");
        for (LoggedRequest r : requests) {
            String msgId = r.getHeader("webhook-id");
            String timestamp = r.getHeader("webhook-timestamp");
            assertThat(msgId).isEqualTo(Receiver.message(r).path("id").asText());
            assertThat(Long.parseLong(timestamp)).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String signed = msgId + "." + timestamp + "." + r.getBodyAsString();
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            assertThat(List.of(r.getHeader("webhook-signature").split(" "))).contains(expected);
            assertThat(r.getHeader("Elements-Webhook-Signature")).isEqualTo(Receiver.expectedSignature(key, r.getBody()));
        }
        assertThat(requests.get(0).getHeader("webhook-id")).isEqualTo(requests.get(1).getHeader("webhook-id"));
    }

    @Test
    void recordsSharingTheWatermarkTimestampAreNeitherMissedNorDuplicatedAcrossPollsAndRestarts() throws Exception {
        engine = RunningEngine.start(data, Map.of());
        Instant t = Instant.now().plusSeconds(20);
        hubReturns(candidate("a", t, t));
        create(Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(receiver, "/callback").size() == 1);

        hubReturns(candidate("a", t, t), candidate("b", t, t));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(receiver, "/callback").size() == 2);
        engine.close();

        hubReturns(candidate("a", t, t), candidate("b", t, t), candidate("c", t, t));
        int polls = hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).size();
        engine = RunningEngine.start(data, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(receiver, "/callback").size() >= 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).size() >= polls + 4);

        assertThat(Receiver.events(receiver, "/callback")).extracting(e -> e.path("objectId").asText()).containsExactly("a", "b", "c");
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).get(polls).queryParameter("where").firstValue())
                .isEqualTo("updatedAfter='" + SR.format(t.minusMillis(1)) + "'"); // the watermark less the 1 ms lookback
    }

    @Test
    void metricsAndHealthAreServedOnTheEmbeddedServer() throws Exception {
        engine = RunningEngine.start(data, Map.of());
        Instant t = Instant.now().plusSeconds(20);
        hubReturns(candidate("a", t, t), "{\"id\":\"broken\",\"updatedOn\":\"not a date\"}");
        create(Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(receiver, "/callback").size() == 1);

        HttpClient http = HttpClient.newHttpClient();
        String base = engine.api().replace("/elements/api-v2/instances", "");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("polling_polls_total\\{[^}]*instance=\"" + id + "\"[^}]*outcome=\"ok\"");
            assertThat(metrics).containsPattern("polling_events_found_total\\{[^}]*resource=\"candidates\"[^}]*} 1\\.0");
            assertThat(metrics).containsPattern("polling_events_emitted_total\\{[^}]*} 1\\.0");
            assertThat(metrics).containsPattern("polling_events_delivered_total\\{[^}]*} 1\\.0");
            assertThat(metrics).containsPattern("polling_outbox_pending\\{instance=\"" + id + "\",resource=\"candidates\"} 0\\.0");
            assertThat(metrics).contains("polling_outbox_oldest_pending_age_seconds");
        });
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
    }

    @Test
    void deliveredEventsAreRemovedAfterTheRetention() throws Exception {
        engine = RunningEngine.start(data, Map.of("polling.delivery.retention", "1s"));
        Instant t = Instant.now().plusSeconds(20);
        hubReturns(candidate("a", t, t));
        create(Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> events("?status=delivered").size() == 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> events("").isEmpty());
        // a poll after the removal sees a again: it must not be sent again
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());
        assertThat(Receiver.events(receiver, "/callback")).hasSize(1);
    }
}
