package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pollingevents.support.EngineProcess;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pollingevents.e2e.SmartRecruitersSeedTest.SR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One poll answered with 100,000 records, every one a change, against an engine process limited to
 * {@code -Xmx256m}: the response is streamed and stored chunk by chunk, and every event arrives once.
 */
class LargeResultSetTest {
    static final int RECORDS = 100_000;

    @TempDir
    Path data;
    HttpServer hub;
    HttpServer receiver;
    EngineProcess engine;
    final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger events = new AtomicInteger();
    final AtomicInteger hubCalls = new AtomicInteger();

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

    @Test
    void hundredThousandRecordPollRunsIn256MegabytesAndDeliversEveryEventOnce() throws Exception {
        Instant t = Instant.now().plusSeconds(60);
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/hubs/humancapital/candidates", exchange -> {
            int call = hubCalls.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0); // chunked: the body is generated while it is sent
            try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                out.write('[');
                for (int i = 0; i < RECORDS; i++) {
                    String date = SR.format(t.plusMillis(i % 5000));
                    String record = (i == 0 ? "" : ",") + "{\"id\":\"c" + i + "\",\"firstName\":\"Name" + i
                            + "\",\"summary\":\"a candidate record with some text to make it realistic\",\"createdOn\":\""
                            + date + "\",\"updatedOn\":\"" + date + "\"}";
                    out.write(record.getBytes(StandardCharsets.UTF_8));
                }
                out.write(']');
            }
        });
        hub.start();
        ObjectMapper mapper = new ObjectMapper();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.createContext("/callback", exchange -> {
            JsonNode message = mapper.readTree(exchange.getRequestBody()).path("message");
            for (JsonNode event : message.path("events")) {
                eventIds.add(event.path("id").asText());
                events.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        Path log = Path.of("target", "large-result-engine.log"); // kept for diagnosis
        Files.deleteIfExists(log);
        engine = EngineProcess.start(data, Map.of("polling.delivery.concurrency", "8", "polling.delivery.poll-interval", "50ms"), log);
        var body = Seeds.json(Seeds.hubExample("smartrecruiters", Map.of("api.key", "k",
                "base.url", "http://127.0.0.1:" + hub.getAddress().getPort(),
                "event.notification.callback.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/callback",
                "event.poller.refresh_interval", "10")));
        // this hub answers everything at once, in one page
        body.with("configuration").with("event.poller.configuration").with("candidates").putObject("pagination").put("type", "none");
        var created = engine.post(body.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        long start = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            System.out.printf("after %d s: %d events received, %d hub calls%n", (System.nanoTime() - start) / 1_000_000_000,
                    eventIds.size(), hubCalls.get());
            return eventIds.size() >= RECORDS;
        });
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        assertThat(eventIds).hasSize(RECORDS);
        assertThat(events.get()).as("no event delivered twice").isEqualTo(RECORDS);
        assertThat(Files.readString(log)).contains("ok: 100000 records, 100000 events stored for delivery");
    }
}
