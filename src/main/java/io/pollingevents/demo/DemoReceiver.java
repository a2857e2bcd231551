package io.pollingevents.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pollingevents.event.WebhookSigner;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** A webhook receiver on loopback that verifies each notification's signature and prints its events. */
final class DemoReceiver {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final String signatureKey;
    private final PrintStream out;

    DemoReceiver(String signatureKey, PrintStream out) throws IOException {
        this.signatureKey = signatureKey;
        this.out = out;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", this::receive);
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String given = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER);
            boolean verified = WebhookSigner.signature(signatureKey, body).equals(given);
            JsonNode message = mapper.readTree(body).path("message");
            Map<String, JsonNode> records = new HashMap<>();
            message.path("raw").fields().forEachRemaining(type -> type.getValue()
                    .forEach(r -> records.put(r.path("id").asText(), r)));
            for (JsonNode event : message.path("events")) {
                JsonNode record = records.get(event.path("objectId").asText());
                String who = record == null ? "" : " " + record.path("firstName").asText() + " " + record.path("lastName").asText()
                        + " [" + record.path("status").asText() + "]";
                out.printf("receiver: %-7s %s %s%s at %s, %s%n", event.path("eventType").asText(), event.path("objectType").asText(),
                        event.path("objectId").asText(), who, event.path("eventDate").asText(),
                        verified ? "signature verified" : "SIGNATURE MISMATCH");
            }
            exchange.sendResponseHeaders(verified ? 200 : 401, -1);
        }
    }
}
