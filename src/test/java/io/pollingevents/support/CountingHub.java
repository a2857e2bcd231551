package io.pollingevents.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hub and webhook receiver on 127.0.0.1 for thousands of resources: every {@code GET /hubs/...} path answers the
 * same records (ids prefixed by the path) and is timed, every {@code POST /callback} is counted per change
 * (object id and event date).
 * A JDK HttpServer rather than WireMock, whose request journal and stub matching grow with every request kept.
 */
public final class CountingHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, ConcurrentLinkedQueue<Long>> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> receipts = new ConcurrentHashMap<>();
    private volatile List<String[]> records = List.of(); // {id suffix, date}

    public CountingHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.createContext("/hubs/", this::poll);
        server.createContext("/callback", this::notification);
        server.setExecutor(threads);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every path also answers a record {@code <path>-<suffix>} created and updated at {@code date}. */
    public synchronized void addRecord(String suffix, String date) {
        List<String[]> more = new ArrayList<>(records);
        more.add(new String[] {suffix, date});
        records = List.copyOf(more);
    }

    /** When each path was polled (epoch ms at arrival), in arrival order. */
    public List<Long> polls(String path) {
        ConcurrentLinkedQueue<Long> times = polls.get(path);
        return times == null ? List.of() : List.copyOf(times);
    }

    /** The first poll of the path that arrived at or after {@code since} (epoch ms). */
    public OptionalLong firstPollSince(String path, long since) {
        return polls(path).stream().mapToLong(Long::longValue).filter(t -> t >= since).min();
    }

    /** How often each change ({@code objectId@eventDate}) reached the receiver. */
    public Map<String, Integer> receipts() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        receipts.forEach((id, n) -> copy.put(id, n.get()));
        return copy;
    }

    private void poll(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        polls.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(System.currentTimeMillis());
        StringBuilder json = new StringBuilder("[");
        for (String[] r : records) {
            json.append(json.length() > 1 ? "," : "").append("{\"id\":\"").append(path).append('-').append(r[0])
                    .append("\",\"createdOn\":\"").append(r[1]).append("\",\"updatedOn\":\"").append(r[1]).append("\"}");
        }
        answer(exchange, 200, json.append("]").toString());
    }

    private void notification(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            for (JsonNode event : body.path("message").path("events")) {
                receipts.computeIfAbsent(event.path("objectId").asText() + "@" + event.path("eventDate").asText(),
                        id -> new AtomicInteger()).incrementAndGet();
            }
        }
        answer(exchange, 200, "");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
