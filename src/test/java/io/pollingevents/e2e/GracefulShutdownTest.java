package io.pollingevents.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM lets an in-flight delivery finish, so it is recorded as delivered and not sent again after a restart. */
class GracefulShutdownTest {
    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    EngineProcess engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
    }

    @Test
    void sigtermFinishesTheInFlightDeliveryAndLeavesNothingToResend() throws Exception {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        Instant t = Instant.now().plusSeconds(20);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("[" + candidate("a", t, t) + "]")));
        Path log = Files.createTempFile(data, "engine", ".log");
        Map<String, String> props = Map.of("camel.main.shutdown-timeout", "20", "polling.delivery.poll-interval", "50ms");
        engine = EngineProcess.start(data, props, log);
        var created = engine.post(Seeds.hubExample("smartrecruiters", Map.of("api.key", "k", "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02")));
        long id = Seeds.id(created.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/humancapital/candidates"))).isEmpty());
        // the receiver logs the POST when it arrives, then answers 3 s later: the delivery is now in flight
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(hub, "/callback").size() == 1);

        long start = System.nanoTime();
        engine.terminate(30);
        long stoppedAfterMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(Files.readString(log)).contains("Pausing trigger polling-events.instance-" + id)
                .contains("Inflights per route: [notification-delivery = 1]").contains("(polling-events) shutdown in");
        assertThat(Receiver.requests(hub, "/callback")).hasSize(1);
        assertThat(stoppedAfterMs).as("waited for the in-flight delivery").isGreaterThan(1000);

        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        engine = EngineProcess.start(data, props, log);
        // the restarted engine polled the same hub answer again and has nothing pending: nothing to resend
        awaitSettled(() -> engine.get("/" + id), Instant.now());
        assertThat(Receiver.requests(hub, "/callback")).hasSize(1);
        HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(engine.api() + "/" + id + "/events"))
                .header("Authorization", RunningEngine.AUTH).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.body()).contains("\"status\" : \"delivered\"").doesNotContain("pending");
    }
}
