package io.pollingevents.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Reads what a WireMock callback receiver got: notifications, their events and signature checks. */
public final class Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Receiver() {
    }

    public static List<LoggedRequest> requests(WireMockServer server, String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    /** Every event of every notification POSTed to path, in arrival order (including failed deliveries). */
    public static List<JsonNode> events(WireMockServer server, String path) {
        List<JsonNode> events = new ArrayList<>();
        for (LoggedRequest request : requests(server, path)) {
            message(request).path("events").forEach(events::add);
        }
        return events;
    }

    public static JsonNode message(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBody()).path("message");
        } catch (Exception e) {
            throw new AssertionError("notification is not JSON: " + request.getBodyAsString(), e);
        }
    }

    /** Independent HMAC-SHA256 of the raw body, in the Open Connectors header format. */
    public static String expectedSignature(String key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
