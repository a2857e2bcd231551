package io.pollingevents.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hub errors and bad records are reported in the instance's poll result and lose nothing. */
class HubProblemsTest {
    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    long id;

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

    void create() throws Exception {
        var created = engine.post(Seeds.hubExample("smartrecruiters", Map.of("api.key", "k", "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        id = Seeds.id(created.body());
    }

    String lastPollResult() throws Exception {
        return Seeds.json(engine.get("/" + id).body()).path("resources").get(0).path("lastPollResult").asText();
    }

    @Test
    void hubErrorIsReportedAndEventsArriveOnceTheHubRecovers() throws Exception {
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(aResponse().withStatus(503).withBody("maintenance")));
        create();
        await().atMost(Duration.ofSeconds(20)).until(() -> lastPollResult().contains("hub answered 503"));
        assertThat(lastPollResult()).contains("maintenance").contains("/hubs/humancapital/candidates");

        Instant now = Instant.now().plusSeconds(20);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates"))
                .willReturn(okJson("[" + candidate("a", now, now) + "]")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPollResult().startsWith("ok:"));
    }

    @Test
    void recordsWithUnreadableDatesAreCountedNotSilentlyDropped() throws Exception {
        Instant now = Instant.now().plusSeconds(20);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("["
                + candidate("good", now, now) + ","
                + "{\"id\":\"bad-date\",\"createdOn\":\"yesterday\",\"updatedOn\":\"27/11/2026\"},"
                + "{\"id\":\"no-date\"},"
                + "{\"firstName\":\"no id\"}]")));
        create();
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPollResult().contains("3 invalid records"));
        assertThat(lastPollResult()).contains("4 records, 1 event");
    }

    @Test
    void recordListedTwiceInOneResponseIsOneEventAndLaterChangesStillFlow() throws Exception {
        Instant now = Instant.now().plusSeconds(20);
        String a = candidate("a", now, now);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("[" + a + "," + a + "]")));
        create();
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates"))
                .willReturn(okJson("[" + a + "," + a + "," + candidate("a", now, now.plusSeconds(1)) + "]")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPollResult().startsWith("ok:"));
        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("eventType").asText()).containsExactly("CREATED", "UPDATED");
    }

    @Test
    void aSlowHubIsNeverCalledByTwoPollsOfTheSameResourceAtOnce() throws Exception {
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("[]").withFixedDelay(2500)));
        create(); // polls every 1.2 s, each hub call takes 2.5 s
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/humancapital/candidates"))).size() >= 4);
        var calls = hub.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/hubs/humancapital/candidates"))
                .sorted(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
        for (int i = 1; i < calls.size(); i++) {
            long previousStart = calls.get(i - 1).getRequest().getLoggedDate().getTime();
            long start = calls.get(i).getRequest().getLoggedDate().getTime();
            assertThat(start - previousStart).as("a poll starts only after the previous one ended").isGreaterThanOrEqualTo(2400);
        }
    }

    @Test
    void hubAnsweringSomethingOtherThanAnArrayIsExplained() throws Exception {
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("{\"candidates\":[]}")));
        create();
        await().atMost(Duration.ofSeconds(20)).until(() -> lastPollResult().startsWith("failed:"));
        assertThat(lastPollResult()).contains("records array was expected").contains("elements/smartrecruiters.yaml");
    }
}
