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

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SmartRecruiters seed body, as written but for base.url, through the public API against a WireMock stand-in for
 * SmartRecruiters' own API ({@code GET /candidates?updatedAfter=&limit=&pageId=}, answers {@code {"content":[...],
 * "nextPageId":...}}) and a receiver.
 */
class SmartRecruitersSeedTest {
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String KEY = "asdfo08e$fd";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;

    @BeforeEach
    void start() throws Exception {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        engine = RunningEngine.start(data, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        hub.stop();
    }

    static final String CANDIDATES = "/candidates";

    /** One page of a SmartRecruiters list answer; {@code nextPageId} null on the last page. */
    static String page(String nextPageId, String... candidates) {
        return "{\"totalFound\":" + candidates.length + ",\"content\":[" + String.join(",", candidates) + "]"
                + (nextPageId == null ? "" : ",\"nextPageId\":\"" + nextPageId + "\"") + "}";
    }

    static String candidate(String id, Instant created, Instant updated) {
        return "{\"id\":\"" + id + "\",\"firstName\":\"F" + id + "\",\"createdOn\":\"" + SR.format(created)
                + "\",\"updatedOn\":\"" + SR.format(updated) + "\"}";
    }

    /**
     * Waits for proof that the engine has sent everything it will send for the hub's current answer: every
     * resource of the instance (read with {@code instance}, the body of {@code GET /instances/{id}}) finished a
     * poll that started after {@code since}, and after that no notification of the instance is pending, so
     * whatever that poll stored was answered by the receiver. A duplicate or a missed event shows after this.
     */
    static void awaitSettled(Callable<String> instance, Instant since) {
        awaitPolledSince(instance, since);
        await("no pending notifications").atMost(Duration.ofSeconds(20))
                .until(() -> Seeds.json(instance.call()).path("pendingNotifications").asInt(-1) == 0);
    }

    /** Waits until every resource of the instance finished a poll (successful or not) that started after {@code since}. */
    static void awaitPolledSince(Callable<String> instance, Instant since) {
        await("every resource finished a poll that started after " + since).atMost(Duration.ofSeconds(20))
                .until(() -> polledSince(Seeds.json(instance.call()), since));
    }

    /** Whether every resource of the instance view has a last poll that started after {@code since}. */
    static boolean polledSince(JsonNode instance, Instant since) {
        JsonNode resources = instance.path("resources");
        if (resources.isEmpty()) {
            return false;
        }
        for (JsonNode resource : resources) {
            if (!resource.path("lastPollDate").isTextual() || !Instant.parse(resource.path("lastPollDate").asText()).isAfter(since)) {
                return false;
            }
        }
        return true;
    }

    String body(String interval) throws Exception {
        return Seeds.example("smartrecruiters", Map.of(
                "api.key", "sr-key-123",
                "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback",
                "event.poller.refresh_interval", interval));
    }

    @Test
    void deliversCreatedAndUpdatedCandidatesOnceWithVerifiableSignature() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).willReturn(okJson(page(null,
                candidate("new-1", now.plusSeconds(1), now.plusSeconds(1)),
                candidate("old-2", now.minusSeconds(3600), now.plusSeconds(2)),
                candidate("stale-3", now.minusSeconds(7200), now.minusSeconds(3600))))));

        HttpResponse<String> created = engine.post(body("0.02"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode instance = Seeds.json(created.body());
        assertThat(instance.path("token").asText()).isNotBlank();
        assertThat(instance.path("configuration").path("api.key").asText()).isEqualTo("********");
        assertThat(instance.path("configuration").path("event.notification.signature.key").asText()).isEqualTo("********");
        assertThat(created.body()).doesNotContain("sr-key-123").doesNotContain(KEY);
        Instant createdAt = Instant.parse(instance.path("createdDate").asText());

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 2);
        // several more polls of the same hub answer must not repeat anything
        int polls = hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))).size();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))).size() >= polls + 3);

        List<JsonNode> events = Receiver.events(hub, "/callback");
        assertThat(events).extracting(e -> e.path("objectId").asText() + ":" + e.path("eventType").asText())
                .containsExactly("new-1:CREATED", "old-2:UPDATED");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("objectType").asText()).isEqualTo("candidates");
            assertThat(e.path("elementKey").asText()).isEqualTo("smartrecruiters");
            assertThat(e.path("hubKey").asText()).isEqualTo("humancapital");
            assertThat(e.path("id").asText()).isNotBlank();
        });

        LoggedRequest notification = Receiver.requests(hub, "/callback").get(0);
        assertThat(notification.getHeader("Elements-Webhook-Signature"))
                .isEqualTo(Receiver.expectedSignature(KEY, notification.getBody()));
        JsonNode message = Receiver.message(notification);
        assertThat(message.path("instanceId").asLong()).isEqualTo(instance.path("id").asLong());
        assertThat(message.path("instanceName").asText()).isEqualTo("API Instance with Polling");
        assertThat(message.path("raw").path("candidates")).hasSize(2);

        // the first poll asked SmartRecruiters for changes since the instance was created: the seed's
        // where=updatedAfter='${gmtDate:...}' became its own updatedAfter parameter, 100 a page
        LoggedRequest firstPoll = hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))).get(0);
        assertThat(firstPoll.queryParameter("updatedAfter").firstValue()).isEqualTo(SR.format(createdAt));
        assertThat(firstPoll.queryParameter("limit").firstValue()).isEqualTo("100");
        assertThat(firstPoll.getHeader("X-SmartToken")).isEqualTo("sr-key-123");
        // later polls ask from the newest delivered date, less one millisecond (the date format's precision) so a
        // change in the same millisecond as the last poll is not lost
        hub.verify(getRequestedFor(urlPathEqualTo(CANDIDATES))
                .withQueryParam("updatedAfter", equalTo(SR.format(now.plusSeconds(2).minusMillis(1)))));
    }

    @Test
    void laterUpdateOfSameCandidateIsANewUpdatedEvent() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hub.stubFor(get(urlPathEqualTo(CANDIDATES))
                .willReturn(okJson(page(null, candidate("c1", now.plusSeconds(1), now.plusSeconds(1))))));
        HttpResponse<String> created = engine.post(body("0.02"));
        assertThat(created.statusCode()).isEqualTo(200);
        long id = Seeds.id(created.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);

        hub.stubFor(get(urlPathEqualTo(CANDIDATES))
                .willReturn(okJson(page(null, candidate("c1", now.plusSeconds(1), now.plusSeconds(5))))));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 2);
        // the next poll gets the same answer: it must send nothing more
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText() + ":" + e.path("eventType").asText())
                .containsExactly("c1:CREATED", "c1:UPDATED");
        List<JsonNode> events = Receiver.events(hub, "/callback");
        assertThat(events.get(0).path("id").asText()).isNotEqualTo(events.get(1).path("id").asText());
    }

    @Test
    void moreThanTenChangesArriveInNotificationsOfAtMostTen() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        // 23 changes over three pages: pageId=<nextPageId of the previous answer>
        String[] all = new String[23];
        for (int i = 0; i < 23; i++) {
            all[i] = candidate("r" + i, now.plusMillis(1000 + i), now.plusMillis(1000 + i));
        }
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("pageId", absent())
                .willReturn(okJson(page("p2", java.util.Arrays.copyOfRange(all, 0, 10)))));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("pageId", equalTo("p2"))
                .willReturn(okJson(page("p3", java.util.Arrays.copyOfRange(all, 10, 20)))));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("pageId", equalTo("p3"))
                .willReturn(okJson(page(null, java.util.Arrays.copyOfRange(all, 20, 23)))));
        HttpResponse<String> created = engine.post(body("0.02"));
        assertThat(created.statusCode()).isEqualTo(200);
        long id = Seeds.id(created.body());

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 23);
        // the next poll gets the same answer: it must send nothing more
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());
        assertThat(Receiver.requests(hub, "/callback")).hasSize(3)
                .allSatisfy(r -> assertThat(Receiver.message(r).path("events").size()).isLessThanOrEqualTo(10));
        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).doesNotHaveDuplicates().hasSize(23);
        List<LoggedRequest> firstPoll = hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))).subList(0, 3);
        assertThat(firstPoll).extracting(r -> r.queryParameter("pageId").isPresent() ? r.queryParameter("pageId").firstValue() : null)
                .containsExactly(null, "p2", "p3");
        assertThat(firstPoll).allSatisfy(r -> assertThat(r.getHeader("X-SmartToken")).isEqualTo("sr-key-123"));
        assertThat(Seeds.json(engine.get("/" + id).body()).path("resources").get(0).path("lastPollResult").asText())
                .contains("in 3 pages").doesNotContain("TRUNCATED");
    }
}
