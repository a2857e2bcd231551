package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code "hub.mode": "openconnectors"}: the seed's hub paths polled as written at an Open Connectors-shaped tenant that
 * caps its pages at 150 records whatever pageSize asks for (200 by default), as Open Connectors caps its own. A backlog of many pages arrives
 * completely and once, in an engine process of {@code -Xmx256m}.
 */
class OpenConnectorsHubTest {
    static final int BACKLOG = 12_000;
    static final int CAP = 150;
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @TempDir
    Path data;
    HttpServer hub;
    HttpServer receiver;
    EngineProcess engine;
    final Set<String> authorizations = new CopyOnWriteArraySet<>();
    final Set<String> objectIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger events = new AtomicInteger();
    final AtomicInteger pages = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (hub != null) {
            hub.stop(0);
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** Open Connectors' list paging: at most CAP records, the next page's token in elements-next-page-token. */
    void serve(HttpExchange exchange, Instant t) throws IOException {
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        Map<String, String> q = new HashMap<>();
        for (String p : exchange.getRequestURI().getRawQuery().split("&")) {
            int eq = p.indexOf('=');
            q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        int size = Math.min(CAP, Integer.parseInt(q.getOrDefault("pageSize", "25")));
        int from = Integer.parseInt(q.getOrDefault("nextPage", "0"));
        int to = Math.min(BACKLOG, from + size);
        pages.incrementAndGet();
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            String date = SR.format(t.plusMillis(i));
            body.append(i == from ? "" : ",").append("{\"id\":\"c").append(i).append("\",\"createdOn\":\"").append(date)
                    .append("\",\"updatedOn\":\"").append(date).append("\"}");
        }
        byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (to < BACKLOG) {
            exchange.getResponseHeaders().set("elements-next-page-token", Integer.toString(to));
        }
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aBacklogOfManyCappedPagesArrivesCompletelyAndOnce() throws Exception {
        Instant t = Instant.now().plusSeconds(60);
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/elements/api-v2/hubs/humancapital/candidates", exchange -> serve(exchange, t));
        hub.start();
        ObjectMapper mapper = new ObjectMapper();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.createContext("/callback", exchange -> {
            for (JsonNode event : mapper.readTree(exchange.getRequestBody()).path("message").path("events")) {
                objectIds.add(event.path("objectId").asText());
                events.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        Path log = Path.of("target", "openconnectors-hub-engine.log"); // kept for diagnosis
        Files.deleteIfExists(log);
        engine = EngineProcess.start(data, Map.of("polling.delivery.concurrency", "8"), log);
        var created = engine.post(Seeds.example("smartrecruiters", Map.of("hub.mode", "openconnectors",
                "openconnectors.user.secret", "u-secret", "openconnectors.organization.secret", "o-secret",
                "openconnectors.element.token", "e-token",
                "base.url", "http://127.0.0.1:" + hub.getAddress().getPort() + "/elements/api-v2",
                "event.notification.callback.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/callback",
                "event.poller.refresh_interval", "10")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("u-secret").doesNotContain("o-secret").doesNotContain("e-token");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> objectIds.size() >= BACKLOG);
        assertThat(objectIds).hasSize(BACKLOG);
        assertThat(events.get()).as("no event delivered twice").isEqualTo(BACKLOG);
        assertThat(pages.get()).isEqualTo(BACKLOG / CAP);
        assertThat(authorizations).containsExactly("User u-secret, Organization o-secret, Element e-token");
        String engineLog = Files.readString(log);
        assertThat(engineLog).doesNotContain("OutOfMemoryError").contains("ok: " + BACKLOG + " records in " + BACKLOG / CAP + " pages");
    }
}
