package io.pollingevents.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.util.TreeSet;

/**
 * Answers {@code GET /elements/api-v2/elements}: each element the engine knows, with the configuration keys an instance
 * of it needs (secret ones marked) and the shipped example instance body, from which the console builds its form.
 */
public final class ElementList {
    private final ObjectMapper mapper;
    private final ElementRegistry elements;

    public ElementList(ObjectMapper mapper, ElementRegistry elements) {
        this.mapper = mapper;
        this.elements = elements;
    }

    ArrayNode list() {
        ArrayNode list = mapper.createArrayNode();
        for (String key : new TreeSet<>(elements.keys())) {
            ElementDescriptor element = elements.find(key).orElseThrow();
            ObjectNode node = list.addObject();
            node.put("key", element.key());
            node.put("name", element.name());
            node.put("hub", element.hub());
            node.put("authentication", element.auth().type());
            ArrayNode keys = node.putArray("configuration");
            for (String required : element.requiredKeys()) {
                keys.addObject().put("key", required).put("required", true).put("secret", element.secretKeys().contains(required));
            }
            for (String optional : element.optionalKeys()) {
                keys.addObject().put("key", optional).put("required", false).put("secret", element.secretKeys().contains(optional));
            }
            for (String secret : element.secretKeys()) {
                if (!element.requiredKeys().contains(secret) && !element.optionalKeys().contains(secret)) {
                    keys.addObject().put("key", secret).put("required", false).put("secret", true);
                }
            }
            node.set("providerData", mapper.valueToTree(element.requiredProviderData()));
            JsonNode example = example(key);
            if (example != null) {
                node.set("example", withoutSecrets(example, element));
            }
        }
        return list;
    }

    /** The example with its placeholder secrets emptied, so that no value that looks like a secret is ever shown. */
    private static JsonNode withoutSecrets(JsonNode example, ElementDescriptor element) {
        ObjectNode copy = example.deepCopy();
        if (copy.path("configuration") instanceof ObjectNode config) {
            new TreeSet<String>(config.properties().stream().map(java.util.Map.Entry::getKey).toList()).stream()
                    .filter(k -> ConfigKeys.isSecret(k, element)).forEach(k -> config.put(k, ""));
        }
        if (copy.path("providerData") instanceof ObjectNode providerData) {
            new TreeSet<String>(providerData.properties().stream().map(java.util.Map.Entry::getKey).toList())
                    .forEach(k -> providerData.put(k, ""));
        }
        return copy;
    }

    /** The example body shipped in the jar's examples/ folder, if there is one for the element. */
    private JsonNode example(String key) {
        try (InputStream in = ElementList.class.getResourceAsStream("/examples/" + key + ".json")) {
            return in == null ? null : mapper.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }
}
