package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.CANDIDATES;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SmartRecruiters' limits per API key, kept by the engine across every instance and resource sharing the key: at
 * most 10 requests in any second and one GET /candidates in flight; a 429 that comes anyway is honoured. Also what
 * cannot be translated to its API, and the preview.
 */
class SmartRecruitersLimitsTest {
    static final String JOBS = "/jobs";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
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

    /** The seed body with the given API key, polling candidates and, when asked, jobs too. */
    String body(String apiKey, boolean jobs) throws Exception {
        ObjectNode body = Seeds.json(Seeds.example("smartrecruiters", Map.of("api.key", apiKey, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02")));
        ObjectNode resources = (ObjectNode) body.path("configuration").path("event.poller.configuration");
        if (jobs) {
            ObjectNode job = resources.path("candidates").deepCopy();
            job.put("url", "/hubs/humancapital/jobs?where=updatedAfter='${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}'");
            resources.set("jobs", job);
        }
        return body.toString();
    }

    static long at(LoggedRequest r) {
        return r.getLoggedDate().getTime();
    }

    List<LoggedRequest> sorted(List<LoggedRequest> requests) {
        List<LoggedRequest> copy = new ArrayList<>(requests);
        copy.sort(Comparator.comparingLong(SmartRecruitersLimitsTest::at));
        return copy;
    }

    @Test
    void oneCandidatesCallInFlightAndTenRequestsASecondPerKeyAcrossInstances() throws Exception {
        // every candidates call takes 300 ms; jobs answer at once, two pages each
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).willReturn(okJson(page(null)).withFixedDelay(300)));
        hub.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("pageId", absent()).willReturn(okJson(page("j2"))));
        hub.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("pageId", equalTo("j2")).willReturn(okJson(page(null))));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = engine.post(body("shared-key", true));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }
        HttpResponse<String> other = engine.post(body("other-key", false));
        assertThat(other.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(40)).until(() ->
                hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES)).withHeader("X-SmartToken", equalTo("shared-key"))).size() >= 9);

        List<LoggedRequest> candidates = sorted(hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))
                .withHeader("X-SmartToken", equalTo("shared-key"))));
        for (int i = 1; i < candidates.size(); i++) {
            assertThat(at(candidates.get(i)) - at(candidates.get(i - 1)))
                    .as("ms between GET /candidates calls %d and %d of one API key (each takes 300 ms)", i - 1, i)
                    .isGreaterThanOrEqualTo(295L);
        }
        List<LoggedRequest> shared = sorted(hub.findAll(getRequestedFor(urlPathMatching("/(candidates|jobs)"))
                .withHeader("X-SmartToken", equalTo("shared-key"))));
        for (int i = 10; i < shared.size(); i++) {
            assertThat(at(shared.get(i)) - at(shared.get(i - 10)))
                    .as("ms from request %d to request %d of one API key: 11 requests need more than a second", i - 10, i)
                    .isGreaterThanOrEqualTo(1000L);
        }
        // another key has its own budget: its candidates ran while the shared key's did
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES)).withHeader("X-SmartToken", equalTo("other-key"))))
                .isNotEmpty();
    }

    @Test
    void a429WithRateLimitHeadersPausesTheKeyAndNothingIsLost() throws Exception {
        Instant t = Instant.now().plusSeconds(20);
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Limit", "10")
                        .withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", "2"))
                .willSetStateTo("open"));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(okJson(page(null, candidate("c1", t, t)))));
        long id = Seeds.id(engine.post(body("k429", false)).body());

        List<String> results = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            results.add(Seeds.json(engine.get("/" + id).body()).path("resources").get(0).path("lastPollResult").asText());
            return Receiver.events(hub, "/callback").size() == 1;
        });

        assertThat(results).anySatisfy(r -> assertThat(r).contains("429 (rate limited)").contains("X-RateLimit-Remaining: 0")
                .contains("pause for 2 s").contains("X-RateLimit-Reset"));
        List<LoggedRequest> calls = sorted(hub.findAll(getRequestedFor(urlPathEqualTo(CANDIDATES))));
        assertThat(at(calls.get(1)) - at(calls.get(0))).as("ms between the 429 and the next call").isGreaterThanOrEqualTo(1950L);
        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).containsExactly("c1");
    }

    @Test
    void aWhereClauseTheVendorCannotFilterOnIsRefusedNamingWhatItSupports() throws Exception {
        ObjectNode body = Seeds.json(body("k", false));
        ((ObjectNode) body.path("configuration").path("event.poller.configuration").path("candidates"))
                .put("url", "/hubs/humancapital/candidates?where=status='NEW' AND updatedAfter='${gmtDate:yyyy-MM-dd}'");

        HttpResponse<String> refused = engine.post(body.toString());

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Seeds.json(refused.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("configuration['event.poller.configuration'].candidates.url");
        assertThat(error.path("message").asText()).contains("where clause status='NEW' cannot be translated")
                .contains("updatedAfter = or > or >= (query parameter updatedAfter)");
    }

    @Test
    void previewShowsTheVendorRequestsAndTheEventsWithoutStoringOrDelivering() throws Exception {
        Instant t = Instant.now().minusSeconds(5);
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).willReturn(okJson(page(null, candidate("p1", t, t)))));

        HttpResponse<String> answer = engine.send(HttpRequest.newBuilder(URI.create(engine.api() + "/preview?since=" + t.minusSeconds(60)))
                .header("Content-Type", "application/json").header("Authorization", RunningEngine.AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body("preview-key", false))));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = Seeds.json(answer.body());
        assertThat(report.path("outcome").asText()).isEqualTo("ok");
        assertThat(report.path("requests").get(0).path("url").asText()).startsWith(hub.baseUrl() + "/candidates?updatedAfter=")
                .endsWith("&limit=100");
        assertThat(report.path("recordsRead").asInt()).isEqualTo(1);
        assertThat(report.path("askedFrom").asText()).isEqualTo(t.minusSeconds(60).toString());
        assertThat(report.path("notifications").get(0).path("message").path("events").get(0).path("objectId").asText()).isEqualTo("p1");
        assertThat(answer.body()).doesNotContain("preview-key");
        assertThat(Seeds.json("{\"a\":" + engine.get("").body() + "}").path("a")).isEmpty();
        assertThat(Receiver.requests(hub, "/callback")).isEmpty();
    }
}
