package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.support.CountingHub;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Postgres;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pollingevents.e2e.SmartRecruitersSeedTest.SR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9's cluster target at a reduced size: two engine processes on one PostgreSQL share 300 resources
 * (30 instances of 10, created through node A, polled every 10 s): each resource polls at once after its create
 * answer, and after A is SIGKILLed node B polls every resource again within check-in interval + refresh interval
 * (+ one interval of slack) and each change reaches the receiver exactly once.
 */
class ClusterFailoverAtScaleTest {
    static final int INSTANCES = 30;
    static final int PER_INSTANCE = 10;
    static final int RESOURCES = INSTANCES * PER_INSTANCE;
    static final long INTERVAL_MS = 10_000;
    static final long CHECKIN_MS = 2_000;
    static final long RECONCILE_MS = 2_000;
    static final Pattern POLLS = Pattern.compile("^polling_polls_total\\{(.*)} ([0-9.E+]+)$", Pattern.MULTILINE);

    @TempDir
    Path data;
    final List<EngineProcess> nodes = new ArrayList<>();
    CountingHub hub;
    Postgres pg;

    @AfterEach
    void stop() throws Exception {
        for (EngineProcess node : nodes) {
            node.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void survivingNodePollsEveryResourceAgainAfterTheOtherIsKilled() throws Exception {
        pg = Postgres.freshSchema();
        hub = new CountingHub();
        startNodes();
        EngineProcess a = nodes.get(0);
        EngineProcess b = nodes.get(1);
        Instant start = Instant.now();
        hub.addRecord("1", SR.format(start.plusSeconds(300)));

        // created through node A, four at a time; each path's first poll is timed from its instance's create request
        Map<String, Long> createdAt = new ConcurrentHashMap<>(); // hub path -> epoch ms the create request was sent
        Map<String, Long> answeredAt = new ConcurrentHashMap<>(); // hub path -> epoch ms the create response came
        Map<String, String> resourceOf = new ConcurrentHashMap<>(); // "instance/resource" -> hub path
        ExecutorService creators = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> creates = new ArrayList<>();
            for (int n = 0; n < INSTANCES; n++) {
                int instance = n;
                creates.add(CompletableFuture.runAsync(() -> create(a, instance, createdAt, answeredAt, resourceOf), creators));
            }
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
        } finally {
            creators.shutdown();
        }
        assertThat(resourceOf).hasSize(RESOURCES);

        log("created %d resources through node A in %d ms", RESOURCES, System.currentTimeMillis() - start.toEpochMilli());

        // a resource's first poll (on whichever node fires it) comes at once, within the reconcile interval of its
        // instance's create answer on a node that has not seen the instance yet. Not every one: a fire a busy machine
        // starts more than the misfire threshold (5 s) late waits for its next slot, so a few take one or two intervals
        // more (up to 30 s seen under a load average of 10 on 2 cores); 95 % must make it within one interval
        await("every resource's first change received").atMost(Duration.ofSeconds(60))
                .until(() -> hub.receipts().size() >= RESOURCES);
        List<Long> firstPolls = new ArrayList<>();
        for (Map.Entry<String, Long> e : createdAt.entrySet()) {
            firstPolls.add(hub.firstPollSince(e.getKey(), e.getValue()).orElseThrow() - answeredAt.get(e.getKey()));
        }
        firstPolls.sort(null);
        long p95 = firstPolls.get(RESOURCES * 95 / 100 - 1);
        log("first poll after its create answer: p95 %d ms, slowest %d ms", p95, firstPolls.get(RESOURCES - 1));
        assertThat(p95).as("ms from create answer to the first poll, 95th percentile of %d resources", RESOURCES)
                .isLessThanOrEqualTo(RECONCILE_MS + INTERVAL_MS);
        // not asserted: node B polls its half of the partitions from its second check-in, but node A ran every
        // first poll (it answered the create calls); after the kill B must poll all of them
        log("node B polled %d of the %d resources before the kill", polledBy(b, resourceOf).size(), RESOURCES);

        a.kill();
        long killedAt = System.currentTimeMillis();
        hub.addRecord("2", SR.format(start.plusSeconds(360)));
        long bound = CHECKIN_MS + INTERVAL_MS + INTERVAL_MS;
        await("every resource polled again after the kill").atMost(Duration.ofMillis(bound + 20_000))
                .until(() -> createdAt.keySet().stream().allMatch(path -> hub.firstPollSince(path, killedAt).isPresent()));
        long slowestTakeover = createdAt.keySet().stream().mapToLong(path -> hub.firstPollSince(path, killedAt).orElseThrow() - killedAt)
                .max().orElseThrow();
        log("last resource polled again %d ms after the kill", slowestTakeover);
        assertThat(slowestTakeover).as("ms from the kill to the last of %d resources polled again", RESOURCES).isLessThanOrEqualTo(bound);
        // B counts a poll once its hub answer is processed, a moment after the hub saw the request: wait for the count
        await("node B counted a poll of every resource").atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(polledBy(b, resourceOf)).as("resources node B polled").hasSize(RESOURCES));

        // each resource's second change reaches the receiver, and no change arrives twice
        await("every resource's second change received").atMost(Duration.ofSeconds(30))
                .until(() -> hub.receipts().size() >= 2 * RESOURCES);
        Map<String, Integer> receipts = hub.receipts();
        assertThat(receipts).hasSize(2 * RESOURCES);
        assertThat(receipts).allSatisfy((change, times) -> assertThat(times).as("deliveries of " + change).isEqualTo(1));
    }

    /** The test's measurements, for the surefire output. */
    static void log(String format, Object... args) {
        System.out.printf("ClusterFailoverAtScaleTest: " + format + "%n", args);
    }

    /** Starts nodes A and B at the same time on the test's schema, logging to target/cluster-scale-node-{i}.log. */
    void startNodes() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("polling.db.url", pg.jdbcUrl());
        props.put("polling.db.user", Postgres.USER);
        props.put("polling.db.password", "");
        props.put("polling.db.pool-size", "10");
        props.put("polling.cluster.enabled", "true");
        props.put("polling.cluster.checkin-interval", CHECKIN_MS + "ms");
        props.put("polling.cluster.reconcile-interval", RECONCILE_MS + "ms");
        props.put("polling.secrets.key", "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=");
        props.put("polling.delivery.lease", "5s");
        List<CompletableFuture<EngineProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = Path.of("target", "cluster-scale-node-" + i + ".log"); // kept for diagnosis
            Files.deleteIfExists(log);
            Path dir = data.resolve("node" + i);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return EngineProcess.start(dir, props, log);
                } catch (Exception e) {
                    throw new IllegalStateException("node did not start; see " + log, e);
                }
            }));
        }
        for (CompletableFuture<EngineProcess> node : starting) {
            nodes.add(node.join());
        }
    }

    /** Creates instance n through the node: 10 resources, each its own hub path /hubs/humancapital/i{n}r{r}. */
    void create(EngineProcess node, int n, Map<String, Long> createdAt, Map<String, Long> answeredAt, Map<String, String> resourceOf) {
        try {
            ObjectNode instance = Seeds.json(Seeds.hubExample("smartrecruiters", Map.of("api.key", "key-" + n,
                    "base.url", hub.baseUrl(), "event.notification.callback.url", hub.baseUrl() + "/callback",
                    "event.poller.refresh_interval", Double.toString(INTERVAL_MS / 60_000.0))));
            ObjectNode poller = (ObjectNode) instance.path("configuration").path("event.poller.configuration");
            JsonNode template = poller.remove("candidates");
            List<String> paths = new ArrayList<>();
            for (int r = 0; r < PER_INSTANCE; r++) {
                ObjectNode resource = template.deepCopy();
                String path = "/hubs/humancapital/i" + n + "r" + r;
                resource.put("url", template.path("url").asText().replace("/hubs/humancapital/candidates", path));
                poller.set("res" + r, resource);
                paths.add(path);
            }
            long sent = System.currentTimeMillis();
            paths.forEach(p -> createdAt.put(p, sent));
            HttpResponse<String> created = node.post(instance.toString());
            assertThat(created.statusCode()).as("create instance %d: %s", n, created.body()).isEqualTo(200);
            long answered = System.currentTimeMillis();
            paths.forEach(p -> answeredAt.put(p, answered));
            long id = Seeds.id(created.body());
            for (int r = 0; r < PER_INSTANCE; r++) {
                resourceOf.put(id + "/res" + r, paths.get(r));
            }
        } catch (Exception e) {
            throw new IllegalStateException("create instance " + n, e);
        }
    }

    /** The hub paths of the resources the node has polled at least once, from its Prometheus scrape. */
    static Set<String> polledBy(EngineProcess node, Map<String, String> resourceOf) throws Exception {
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.base() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Set<String> paths = new HashSet<>();
        Matcher m = POLLS.matcher(scrape);
        while (m.find()) {
            Map<String, String> labels = labels(m.group(1));
            String path = resourceOf.get(labels.get("instance") + "/" + labels.get("resource"));
            if (path != null && Double.parseDouble(m.group(2)) > 0) {
                paths.add(path);
            }
        }
        return paths;
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }
}
