package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Postgres;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import io.pollingevents.support.Stubs;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
import static io.pollingevents.e2e.SmartRecruitersSeedTest.SR;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three engine processes on one PostgreSQL, splitting the polls by leased partitions: each resource is polled by
 * one node per interval, a SIGKILLed node's resources (including an instance created through it) go on being polled
 * by the others, and every change is delivered, none twice with different bodies; a new instance's first polls run
 * at once on the node that created it, also for resources another node polls afterwards.
 */
class ClusterTest {
    static final String HUB_PATH = "/hubs/humancapital/candidates";

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(30));
    final List<EngineProcess> nodes = new ArrayList<>();
    final Map<String, Map<String, String>> records = new HashMap<>(); // api key -> id -> updatedOn
    final List<String> changes = new ArrayList<>();
    Postgres pg;

    @AfterEach
    void stop() throws Exception {
        for (EngineProcess node : nodes) {
            node.close();
        }
        hub.stop();
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void threeNodesShareTheWorkAndSurviveAKilledNode() throws Exception {
        pg = Postgres.freshSchema();
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        startNodes(3, "cluster-node-", "1s");
        EngineProcess a = nodes.get(0);
        EngineProcess b = nodes.get(1);
        publish("key-1");
        var created1 = a.post(body("key-1"));
        assertThat(created1.statusCode()).isEqualTo(200);
        long id1 = Seeds.id(created1.body());

        // one node polls per interval: 6 polls take about 6 s (rate 0.5 to 1.5 per s), not 2 s as with all 3 nodes polling;
        // key-1 changes before each of the first 5, so each poll finds a change
        await().atMost(Duration.ofSeconds(20)).until(() -> polls("key-1") >= 2);
        int before = polls("key-1");
        for (int i = 1; i <= 6; i++) {
            if (i < 6) {
                change("key-1");
            }
            int poll = before + i;
            await().atMost(Duration.ofSeconds(10)).until(() -> polls("key-1") >= poll);
        }
        List<Long> key1Polls = pollRequests("key-1").stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
        long sixPollsMs = key1Polls.get(before + 5) - key1Polls.get(before - 1);
        assertThat(sixPollsMs).as("time of 6 polls of one resource at a 1 s interval, 3 nodes").isBetween(4_000L, 12_000L);

        // an instance created through node A, then A dies
        publish("key-2");
        var created2 = a.post(body("key-2"));
        assertThat(created2.statusCode()).isEqualTo(200);
        long id2 = Seeds.id(created2.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> polls("key-2") >= 1);
        a.kill();
        long killedAt = System.currentTimeMillis();
        int atKill = polls("key-2");
        // changes while the others take over: each is published once a poll (of either instance) saw the previous one
        for (int i = 0; i < 6; i++) {
            change(i % 2 == 0 ? "key-1" : "key-2");
            int seen = polls("key-1") + polls("key-2");
            await().atMost(Duration.ofSeconds(15)).until(() -> polls("key-1") + polls("key-2") > seen);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> polls("key-2") >= atKill + 3 && polls("key-1") > 0);
        long resumedWithinMs = System.currentTimeMillis() - killedAt;
        assertThat(resumedWithinMs).isLessThan(15_000);

        List<String> expected;
        synchronized (this) {
            expected = List.copyOf(changes);
        }
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(received()).containsAll(expected));
        // both instances polled their unchanged hub answers again and nothing is pending (a delivery node A left
        // unfinished is sent again once its lease ends): nothing more will arrive
        Instant allReceived = Instant.now();
        awaitSettled(() -> b.get("/" + id1), allReceived);
        awaitSettled(() -> b.get("/" + id2), allReceived);
        Map<String, Set<String>> bodies = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (LoggedRequest r : Receiver.requests(hub, "/callback")) {
            for (JsonNode e : Receiver.message(r).path("events")) {
                ids.add(e.path("id").asText());
                bodies.computeIfAbsent(e.path("id").asText(), k -> new HashSet<>()).add(r.getBodyAsString());
            }
        }
        assertThat(bodies).allSatisfy((id, b2) -> assertThat(b2).as("bodies of event " + id).hasSize(1));
        assertThat(received()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ids).hasSize(expected.size());

        // node B still answers the API and sees both instances
        assertThat(Seeds.json("{\"a\":" + b.get("") + "}").path("a")).hasSize(2);
    }

    @Test
    void everyResourceOfANewInstancePollsAtOnceOnTheNodeThatCreatedIt() throws Exception {
        // node B owns about half of the resources' partitions, but its reconciler (every 30 s) has not seen the
        // instance yet: node A, which answered the create call, runs every first poll itself
        pg = Postgres.freshSchema();
        hub.start();
        hub.stubFor(get(urlPathMatching("/hubs/humancapital/r[0-9]+")).willReturn(okJson("[]")));
        startNodes(2, "cluster-new-instance-node-", "30s");
        // the engine status says how many of the 64 partitions a node polls: both nodes have taken their half
        for (EngineProcess node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Seeds.json(engineStatus(node)).path("partitionsPolled").asInt() == 32);
        }
        int resources = 20;
        HttpResponse<String> created = nodes.get(0).post(manyResources("k", "r", resources, "60").toString());
        assertThat(created.statusCode()).isEqualTo(200);
        Map<String, String> resourceOf = new HashMap<>();
        for (int r = 0; r < resources; r++) {
            resourceOf.put(Seeds.id(created.body()) + "/res" + r, "/hubs/humancapital/r" + r);
        }

        // node A's own metrics: it polled every resource, not only the half in its partitions
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ClusterFailoverAtScaleTest.polledBy(nodes.get(0), resourceOf))
                .as("resources polled by node A").hasSize(resources));
    }

    static String engineStatus(EngineProcess node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.base() + "/elements/api-v2/engine"))
                .header("Authorization", RunningEngine.AUTH).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Starts engine processes on the test's PostgreSQL schema, logging to target/{logPrefix}{i}.log. */
    void startNodes(int count, String logPrefix, String reconcileInterval) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("polling.db.url", pg.jdbcUrl());
        props.put("polling.db.user", Postgres.USER);
        props.put("polling.db.password", "");
        props.put("polling.db.pool-size", "5");
        props.put("polling.cluster.enabled", "true");
        props.put("polling.cluster.checkin-interval", "2s");
        props.put("polling.cluster.reconcile-interval", reconcileInterval);
        props.put("polling.secrets.key", "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=");
        props.put("polling.delivery.lease", "5s");
        props.put("polling.delivery.retry-schedule", "200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s");
        for (int i = 0; i < count; i++) {
            Path log = Path.of("target", logPrefix + i + ".log"); // kept for diagnosis
            Files.deleteIfExists(log);
            nodes.add(EngineProcess.start(data.resolve("node" + i), props, log));
        }
    }

    /** An instance with the given number of resources, polling /hubs/humancapital/{prefix}0, 1, ... */
    ObjectNode manyResources(String apiKey, String prefix, int resources, String interval) throws Exception {
        ObjectNode instance = Seeds.json(Seeds.hubExample("smartrecruiters", Map.of("api.key", apiKey, "openconnectors.element.token", apiKey, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", interval)));
        ObjectNode poller = (ObjectNode) instance.path("configuration").path("event.poller.configuration");
        JsonNode template = poller.remove("candidates");
        for (int r = 0; r < resources; r++) {
            ObjectNode resource = template.deepCopy();
            resource.put("url", template.path("url").asText().replace("/candidates", "/" + prefix + r));
            poller.set("res" + r, resource);
        }
        return instance;
    }

    String body(String apiKey) throws Exception {
        return Seeds.hubExample("smartrecruiters", Map.of("api.key", apiKey, "openconnectors.element.token", apiKey, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.0167"));
    }

    int polls(String apiKey) {
        return pollRequests(apiKey).size();
    }

    List<LoggedRequest> pollRequests(String apiKey) {
        return hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH)).withHeader("Authorization", containing("Element " + apiKey)));
    }

    synchronized void change(String apiKey) {
        Map<String, String> recs = records.computeIfAbsent(apiKey, k -> new LinkedHashMap<>());
        String id = apiKey + "-c" + (recs.size() + 1);
        String now = SR.format(Instant.now().plusSeconds(30));
        recs.put(id, now);
        changes.add(id + "@" + now);
        publish(apiKey);
    }

    synchronized void publish(String apiKey) {
        StringBuilder json = new StringBuilder("[");
        records.getOrDefault(apiKey, Map.of()).forEach((id, date) -> json.append(json.length() > 1 ? "," : "")
                .append("{\"id\":\"").append(id).append("\",\"createdOn\":\"").append(date).append("\",\"updatedOn\":\"").append(date).append("\"}"));
        Stubs.put(hub, UUID.nameUUIDFromBytes(apiKey.getBytes()), get(urlPathEqualTo(HUB_PATH))
                .withHeader("Authorization", containing("Element " + apiKey)).willReturn(okJson(json.append("]").toString())));
    }

    Set<String> received() {
        Set<String> got = new HashSet<>();
        for (JsonNode e : Receiver.events(hub, "/callback")) {
            got.add(e.path("objectId").asText() + "@" + SR.format(Instant.parse(e.path("eventDate").asText())));
        }
        return got;
    }
}
