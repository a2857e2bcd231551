package io.pollingevents.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated SmartRecruiters API on loopback: serves {@code GET /candidates?updatedAfter=<date>&limit=&pageId=}
 * as SmartRecruiters does ({@code {"content":[...],"nextPageId":...}}) and creates or updates a candidate on every
 * {@link #tick()}.
 */
final class DemoHub {
    static final String API_KEY = "demo-api-key";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Linus"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Torvalds"};

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ObjectNode> candidates = new ArrayList<>();
    private final Random random = new Random();
    private final HttpServer server;
    private int nextId = 1;

    DemoHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/candidates", this::serve);
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates a candidate, or updates an existing one about every other tick. */
    synchronized String tick() {
        String now = FORMAT.format(Instant.now());
        if (candidates.isEmpty() || random.nextBoolean()) {
            ObjectNode c = mapper.createObjectNode();
            c.put("id", "cand-" + nextId++);
            c.put("firstName", FIRST[random.nextInt(FIRST.length)]);
            c.put("lastName", LAST[random.nextInt(LAST.length)]);
            c.put("status", "NEW");
            c.put("createdOn", now);
            c.put("updatedOn", now);
            candidates.add(c);
            return "hub: created " + c.get("id").asText();
        }
        ObjectNode c = candidates.get(random.nextInt(candidates.size()));
        String[] statuses = {"IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED"};
        c.put("status", statuses[random.nextInt(statuses.length)]);
        c.put("updatedOn", now);
        return "hub: updated " + c.get("id").asText() + " to " + c.get("status").asText();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("X-SmartToken"))) {
                send(exchange, 401, "{\"message\":\"missing or wrong X-SmartToken\"}");
                return;
            }
            Map<String, String> params = new HashMap<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
                int eq = param.indexOf('=');
                if (eq > 0) {
                    params.put(param.substring(0, eq), URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            Instant after = params.containsKey("updatedAfter") ? Instant.from(FORMAT.parse(params.get("updatedAfter"))) : Instant.EPOCH;
            int limit = Math.min(100, Integer.parseInt(params.getOrDefault("limit", "10")));
            int offset = Integer.parseInt(params.getOrDefault("pageId", "0"));
            List<ObjectNode> changed = new ArrayList<>();
            synchronized (this) {
                for (ObjectNode c : candidates) {
                    if (Instant.from(FORMAT.parse(c.get("updatedOn").asText())).isAfter(after)) {
                        changed.add(c.deepCopy());
                    }
                }
            }
            ObjectNode page = mapper.createObjectNode();
            page.put("totalFound", changed.size());
            ArrayNode content = page.putArray("content");
            changed.stream().skip(offset).limit(limit).forEach(content::add);
            if (offset + limit < changed.size()) {
                page.put("nextPageId", Integer.toString(offset + limit));
            }
            send(exchange, 200, mapper.writeValueAsString(page));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
