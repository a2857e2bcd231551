package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hub answering 429 with Retry-After is left alone by the whole instance for that long, the poll result says so,
 * and nothing is lost. The engine must see the 429 itself: an HTTP client retrying it internally would hide it from
 * the poll result and let the instance's other resources call the hub during the pause.
 */
class HubRateLimitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CANDIDATES = "/hubs/humancapital/candidates";
    static final String JOBS = "/hubs/humancapital/jobs";
    static final String CALLBACK = "/callback";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    long id;
    Instant createdAt;
    final Instant t0 = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void start() throws Exception {
        hub.start();
        hub.stubFor(post(CALLBACK).willReturn(aResponse().withStatus(200)));
        engine = RunningEngine.start(data, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        hub.stop();
    }

    String cand(int n) {
        return candidate("c" + n, t0.plusSeconds(n), t0.plusSeconds(n));
    }

    /** The SmartRecruiters seed polled every 1.2 s; with jobs, a second resource of the same instance. */
    void create(String candidatesPagination, boolean withJobs) throws Exception {
        ObjectNode body = Seeds.json(Seeds.hubExample("smartrecruiters", Map.of("api.key", "sr-key",
                "base.url", hub.baseUrl(), "event.notification.callback.url", hub.baseUrl() + CALLBACK,
                "event.poller.refresh_interval", "0.02")));
        ObjectNode resources = (ObjectNode) body.path("configuration").path("event.poller.configuration");
        if (candidatesPagination != null) {
            ((ObjectNode) resources.path("candidates")).set("pagination", JSON.readTree(candidatesPagination));
        }
        if (withJobs) {
            ObjectNode jobs = resources.path("candidates").deepCopy();
            jobs.put("url", JOBS + "?updatedAfter=${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}");
            jobs.remove("pagination");
            resources.set("jobs", jobs);
        }
        HttpResponse<String> created = engine.post(JSON.writeValueAsString(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        id = Seeds.id(created.body());
        createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());
    }

    JsonNode resource(String name) throws Exception {
        for (JsonNode r : Seeds.json(engine.get("/" + id).body()).path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name);
    }

    List<LoggedRequest> requests(String path) {
        return hub.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    static long at(LoggedRequest r) {
        return r.getLoggedDate().getTime();
    }

    /** Polls GET /instances/{id} until done holds, remembering every lastPollResult of the resource seen on the way. */
    Set<String> watchPollResults(String resource, Callable<Boolean> done) {
        Set<String> seen = new LinkedHashSet<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen.add(resource(resource).path("lastPollResult").asText());
            return done.call();
        });
        return seen;
    }

    @Test
    void retryAfterPausesEveryResourceOfTheInstanceAndThePollResultSaysRateLimited() throws Exception {
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3").withBody("slow down"))
                .willSetStateTo("allowed"));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).inScenario("rate").whenScenarioStateIs("allowed")
                .willReturn(okJson("[" + cand(1) + "]")));
        hub.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("[]")));
        create(null, true);

        // until the candidate arrived and jobs was polled again after the pause
        Set<String> results = watchPollResults("candidates", () -> Receiver.events(hub, CALLBACK).size() == 1
                && !requests(CANDIDATES).isEmpty()
                && requests(JOBS).stream().anyMatch(r -> at(r) > at(requests(CANDIDATES).get(0)) + 3000));

        List<LoggedRequest> candidates = requests(CANDIDATES);
        long limitedAt = at(candidates.get(0));
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(results).as("lastPollResult of candidates seen while polling GET /instances/{id}")
                .anySatisfy(r -> assertThat(r).startsWith("failed:").contains("429 (rate limited)").contains("pause for 3 s")
                        .contains("Retry-After"));
        soft.assertThat(at(candidates.get(1)) - limitedAt).as("ms between the 429 and the next candidates call")
                .isBetween(2950L, 6500L);
        // jobs polls that had already started with the 429 may finish; none may start while the pause lasts
        soft.assertThat(requests(JOBS)).as("calls of the instance's other resource (jobs) from 1 s to 2.95 s after the 429, "
                        + "jobs calls at ms after the 429: " + requests(JOBS).stream().map(r -> at(r) - limitedAt).toList())
                .noneMatch(r -> at(r) > limitedAt + 1000 && at(r) < limitedAt + 2950);
        soft.assertThat(Receiver.events(hub, CALLBACK)).extracting(e -> e.path("objectId").asText()).containsExactly("c1");
        soft.assertAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> resource("candidates").path("lastPollResult").asText().startsWith("ok:"));
    }

    @Test
    void rateLimitOnPage2PausesThenEveryEventArrivesOnce() throws Exception {
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("nextPage", absent())
                .willReturn(okJson("[" + cand(1) + "," + cand(2) + "]").withHeader("elements-next-page-token", "p2")));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("nextPage", equalTo("p2")).inScenario("page2")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("allowed"));
        hub.stubFor(get(urlPathEqualTo(CANDIDATES)).withQueryParam("nextPage", equalTo("p2")).inScenario("page2")
                .whenScenarioStateIs("allowed").willReturn(okJson("[" + cand(3) + "]")));
        create("{\"type\":\"openconnectors\",\"pageSize\":2}", false);

        Set<String> results = watchPollResults("candidates", () -> Receiver.events(hub, CALLBACK).size() >= 3);
        int total = requests(CANDIDATES).size();
        await().atMost(Duration.ofSeconds(10)).until(() -> requests(CANDIDATES).size() >= total + 2
                && resource("candidates").path("lastPollResult").asText().contains(", 0 events stored"));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> Receiver.events(hub, CALLBACK).size() == 3);

        List<JsonNode> events = Receiver.events(hub, CALLBACK);
        List<LoggedRequest> calls = requests(CANDIDATES);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(events).extracting(e -> e.path("objectId").asText()).containsExactlyInAnyOrder("c1", "c2", "c3");
        soft.assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
        soft.assertThat(results).as("lastPollResult of candidates seen while polling GET /instances/{id}")
                .anySatisfy(r -> assertThat(r).startsWith("failed:").contains("429 (rate limited)").contains("nextPage=p2"));
        // calls: page 1, page 2 (429), then nothing for 2 s
        soft.assertThat(calls.get(1).queryParameter("nextPage").firstValue()).isEqualTo("p2");
        soft.assertThat(at(calls.get(2)) - at(calls.get(1))).as("ms between the 429 and the next call").isGreaterThanOrEqualTo(1950L);
        soft.assertThat(Instant.parse(resource("candidates").path("watermark").asText())).isEqualTo(t0.plusSeconds(3));
        soft.assertAll();
    }
}
