package io.pollingevents.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The repaired seed bodies of examples/, with test values put into their configuration. */
public final class Seeds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Seeds() {
    }

    public static ObjectNode example(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Path.of("examples", name + ".json")));
    }

    /** The example body with the given configuration values replaced. */
    public static String example(String name, Map<String, Object> config) throws Exception {
        ObjectNode body = example(name);
        ObjectNode configuration = (ObjectNode) body.get("configuration");
        config.forEach((k, v) -> configuration.set(k, JSON.valueToTree(v)));
        return JSON.writeValueAsString(body);
    }

    /**
     * The example body polling an Open Connectors-shaped hub ({@code "hub.mode": "openconnectors"}): the hub paths as
     * written, answers that are JSON arrays. For tests of the engine rather than of a vendor's API.
     */
    public static String hubExample(String name, Map<String, Object> config) throws Exception {
        Map<String, Object> withMode = new java.util.HashMap<>(viaOpenConnectors());
        withMode.putAll(config);
        return example(name, withMode);
    }

    /** The configuration keys of {@code hub.mode=openconnectors}, with test values. */
    public static Map<String, Object> viaOpenConnectors() {
        return Map.of("hub.mode", "openconnectors", "openconnectors.user.secret", "oc-user",
                "openconnectors.organization.secret", "oc-org", "openconnectors.element.token", "oc-element");
    }

    public static long id(String responseBody) throws Exception {
        return JSON.readTree(responseBody).path("id").asLong();
    }

    public static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }
}
