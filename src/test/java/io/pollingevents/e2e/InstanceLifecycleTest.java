package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitPolledSince;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Restarts, callback outages, PATCH, DELETE and an edited route template, as a user would see them. */
class InstanceLifecycleTest {
    static final String HUB_PATH = "/hubs/humancapital/candidates";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;

    @BeforeEach
    void startHub() {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
    }

    String body(String interval, String callbackPath) throws Exception {
        return body("k", interval, callbackPath);
    }

    String body(String apiKey, String interval, String callbackPath) throws Exception {
        return Seeds.hubExample("smartrecruiters", Map.of(
                "api.key", apiKey,
                "openconnectors.element.token", apiKey,
                "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + callbackPath,
                "event.poller.refresh_interval", interval));
    }

    void hubReturns(String... records) {
        hub.stubFor(get(urlPathEqualTo(HUB_PATH)).willReturn(okJson("[" + String.join(",", records) + "]")));
    }

    /** Hub calls of the instances with api.key k (the instance under test). */
    int hubCalls() {
        return hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH)).withHeader("Authorization", containing("Element k"))).size();
    }

    String instance(long id) throws Exception {
        return engine.get("/" + id).body();
    }

    @Test
    void restartResumesFromStoredWatermarkWithoutResendingOrMissing() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hubReturns(candidate("a", now.plusSeconds(1), now.plusSeconds(1)));
        engine = RunningEngine.start(data, Map.of());
        assertThat(engine.post(body("0.02", "/callback")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        engine.close();
        engine = null;

        // while the engine is down, b changes; a is unchanged
        hubReturns(candidate("a", now.plusSeconds(1), now.plusSeconds(1)), candidate("b", now.minusSeconds(60), now.plusSeconds(3)));
        int callsBefore = hubCalls();
        engine = RunningEngine.start(data, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> hubCalls() >= callsBefore + 4);

        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText() + ":" + e.path("eventType").asText())
                .containsExactly("a:CREATED", "b:UPDATED");
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).get(callsBefore).queryParameter("where").firstValue())
                .isEqualTo("updatedAfter='" + SmartRecruitersSeedTest.SR.format(now.plusSeconds(1).minusMillis(1)) + "'"); // less the lookback
    }

    @Test
    void callbackAnswering500ForAWhileGetsEveryEventOnceItRecovers() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(500).withBody("receiver down")));
        hubReturns(candidate("a", now.plusSeconds(1), now.plusSeconds(1)), candidate("b", now.minusSeconds(60), now.plusSeconds(2)));
        engine = RunningEngine.start(data, Map.of());
        HttpResponse<String> created = engine.post(body("0.02", "/callback"));
        long id = Seeds.id(created.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(hub, "/callback").size() >= 3);
        JsonNode failing = Seeds.json(engine.get("/" + id).body());
        assertThat(failing.path("pendingNotifications").asInt()).isEqualTo(1);
        JsonNode pendingEvent = Seeds.json("{\"e\":" + engine.get("/" + id + "/events?status=pending").body() + "}").path("e").get(0);
        assertThat(pendingEvent.path("lastStatus").asInt()).isEqualTo(500);
        assertThat(pendingEvent.path("lastError").asText()).contains("receiver down");
        assertThat(pendingEvent.path("attempts").asInt()).isGreaterThanOrEqualTo(3);

        int failedAttempts = Receiver.requests(hub, "/callback").size();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(204)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(hub, "/callback").size() > failedAttempts);
        // nothing pending any more, and the next poll of the same hub answer sent nothing new
        awaitSettled(() -> instance(id), Instant.now());

        var afterRecovery = Receiver.requests(hub, "/callback").subList(failedAttempts, Receiver.requests(hub, "/callback").size());
        assertThat(afterRecovery).hasSize(1);
        assertThat(Receiver.message(afterRecovery.get(0)).path("events")).extracting(e -> e.path("objectId").asText())
                .containsExactly("a", "b");
    }

    @Test
    void everyResourceOfANewInstancePollsRightAwayNotOneIntervalLater() throws Exception {
        // camel-quartz skips a fire that Quartz starts up to 2 ms before the trigger's start time; with a start
        // delay about one new route in five lost its first poll and waited a whole interval (here 60 minutes)
        hub.stubFor(get(urlPathMatching("/hubs/humancapital/r[0-9]+")).willReturn(okJson("[]")));
        engine = RunningEngine.start(data, Map.of());
        ObjectNode body = Seeds.json(body("60", "/callback"));
        ObjectNode poller = (ObjectNode) body.path("configuration").path("event.poller.configuration");
        JsonNode template = poller.remove("candidates");
        int resources = 40;
        for (int r = 0; r < resources; r++) {
            ObjectNode resource = template.deepCopy();
            resource.put("url", template.path("url").asText().replace("/candidates", "/r" + r));
            poller.set("res" + r, resource);
        }
        assertThat(engine.post(body.toString()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(hub.findAll(getRequestedFor(urlPathMatching("/hubs/humancapital/r[0-9]+")))
                .stream().map(r -> r.getUrl().replaceAll("\\?.*", "")).distinct()).as("resources polled").hasSize(resources));
    }

    @Test
    void patchOfIntervalAndCallbackTakesEffectAndDeleteStopsPolling() throws Exception {
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hubReturns();
        hub.stubFor(post("/callback-2").willReturn(aResponse().withStatus(200)));
        hub.stubFor(post("/callback-other").willReturn(aResponse().withStatus(200)));
        engine = RunningEngine.start(data, Map.of());
        long id = Seeds.id(engine.post(body("15", "/callback")).body());
        // another instance polls every 1.2 s: its polls show that the scheduler fires while this one must stay quiet
        long other = Seeds.id(engine.post(body("other-key", "0.02", "/callback-other")).body());
        await().atMost(Duration.ofSeconds(10)).until(() -> hubCalls() == 1);
        awaitTwoPollsOf(other);
        assertThat(hubCalls()).as("15 minute interval: only the first poll").isEqualTo(1);

        HttpResponse<String> patched = engine.patch(id, "{\"configuration\":{\"event.poller.refresh_interval\":0.02,"
                + "\"event.notification.callback.url\":\"" + hub.baseUrl() + "/callback-2\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Seeds.json(patched.body()).path("configuration").path("event.poller.refresh_interval").asDouble()).isEqualTo(0.02);
        await().atMost(Duration.ofSeconds(15)).until(() -> hubCalls() >= 4);

        hubReturns(candidate("x", now.plusSeconds(1), now.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> Receiver.events(hub, "/callback-2").size() == 1);
        assertThat(Receiver.requests(hub, "/callback")).isEmpty();

        assertThat(engine.delete(id).statusCode()).isEqualTo(200);
        assertThat(engine.get("/" + id).statusCode()).isEqualTo(404);
        assertThat(engine.context().getRoutes()).noneMatch(r -> r.getRouteId().startsWith("instance-" + id + "-"));
        int callsAfterDelete = hubCalls();
        awaitTwoPollsOf(other);
        assertThat(hubCalls()).isEqualTo(callsAfterDelete);
    }

    /** Waits until the instance polled twice from now on: more than a whole 1.2 s interval of scheduler activity. */
    void awaitTwoPollsOf(long instanceId) {
        awaitPolledSince(() -> instance(instanceId), Instant.now());
        awaitPolledSince(() -> instance(instanceId), Instant.now());
    }

    @Test
    void editedRoutesChangeTheRunningRoutes() throws Exception {
        Path routes = Files.createDirectories(data.resolve("my-routes"));
        String delivery = Files.readString(Path.of("routes", "notification-delivery.yaml"));
        String marker = "              - bean: {ref: deliveryAttempt, method: prepare}\n";
        assertThat(delivery).contains(marker);
        Files.writeString(routes.resolve("notification-delivery.yaml"), delivery.replace(marker, marker
                + "              - setHeader:\n"
                + "                  name: X-Team\n"
                + "                  constant: integration-team-7\n"));
        String poller = Files.readString(Path.of("routes", "resource-poller.yaml"));
        String pollMarker = "                    - bean: {ref: hubRequest, method: prepare}\n";
        assertThat(poller).contains(pollMarker);
        String filter = "simple: \"${body} != null\"";
        assertThat(poller).contains(filter);
        Files.writeString(routes.resolve("resource-poller.yaml"), poller.replace(pollMarker, pollMarker
                + "                    - setHeader:\n"
                + "                        name: X-Poller\n"
                + "                        simple: \"{{resource}}\"\n")
                .replace(filter, "simple: \"${body} != null && ${body.record().path('status').asText()} != 'DRAFT'\""));
        Instant now = Instant.now().plusSeconds(20); // records dated after the instance is created
        hubReturns(candidate("a", now.plusSeconds(1), now.plusSeconds(1)),
                "{\"id\":\"d\",\"status\":\"DRAFT\",\"createdOn\":\"" + SmartRecruitersSeedTest.SR.format(now.plusSeconds(2))
                        + "\",\"updatedOn\":\"" + SmartRecruitersSeedTest.SR.format(now.plusSeconds(2)) + "\"}");
        engine = RunningEngine.start(data, Map.of("polling.routes.dir", routes.toString()));
        HttpResponse<String> created = engine.post(body("0.02", "/callback"));
        assertThat(created.statusCode()).isEqualTo(200);
        long id = Seeds.id(created.body());

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.requests(hub, "/callback").size() == 1);
        assertThat(Receiver.requests(hub, "/callback").get(0).getHeader("X-Team")).isEqualTo("integration-team-7");
        // the next poll of the same answer sends neither the DRAFT record nor a again
        awaitSettled(() -> instance(id), Instant.now());
        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).containsExactly("a");
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH))).get(0).getHeader("X-Poller")).isEqualTo("candidates");
    }

    @Test
    void apiRequiresTheUserAndOrganizationSecrets() throws Exception {
        engine = RunningEngine.start(data, Map.of());
        var noAuth = engine.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine.api())).GET());
        assertThat(noAuth.statusCode()).isEqualTo(401);
        assertThat(noAuth.body()).contains("Authorization");
        var wrong = engine.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine.api()))
                .header("Authorization", "User test-user, Organization nope").GET());
        assertThat(wrong.statusCode()).isEqualTo(401);
        var post = engine.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine.api()))
                .header("Authorization", "User x, Organization y")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body("1", "/callback"))));
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(engine.get("").body().replaceAll("\\s", "")).isEqualTo("[]");
    }
}
