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
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated SmartRecruiters-style hub on loopback: serves
 * {@code GET /hubs/humancapital/candidates?where=updatedAfter='<date>'} and creates or updates a
 * candidate on every {@link #tick()}.
 */
final class DemoHub {
    static final String API_KEY = "demo-api-key";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern UPDATED_AFTER = Pattern.compile("updatedAfter='([^']+)'");
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Linus"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Torvalds"};

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ObjectNode> candidates = new ArrayList<>();
    private final Random random = new Random();
    private final HttpServer server;
    private int nextId = 1;

    DemoHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hubs/humancapital/candidates", this::serve);
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
            String query = exchange.getRequestURI().getRawQuery();
            String where = "";
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (param.startsWith("where=")) {
                    where = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
                }
            }
            Matcher m = UPDATED_AFTER.matcher(where);
            Instant after = m.find() ? Instant.from(FORMAT.parse(m.group(1))) : Instant.EPOCH;
            ArrayNode result = mapper.createArrayNode();
            synchronized (this) {
                for (ObjectNode c : candidates) {
                    if (Instant.from(FORMAT.parse(c.get("updatedOn").asText())).isAfter(after)) {
                        result.add(c.deepCopy());
                    }
                }
            }
            send(exchange, 200, mapper.writeValueAsString(result));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
