package io.pollingevents.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Applies a PATCH body to a stored instance body: configuration keys are merged one by one (null removes a
 * key, a masked value keeps the stored secret), other top-level fields are replaced.
 */
public final class InstancePatch {
    public static final String MASK = "********";

    private InstancePatch() {
    }

    public static ObjectNode apply(ObjectNode stored, ObjectNode patch) {
        ObjectNode merged = stored.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("configuration") && field.getValue().isObject()) {
                ObjectNode config = merged.with("configuration");
                field.getValue().fields().forEachRemaining(e -> {
                    if (e.getValue().isNull()) {
                        config.remove(e.getKey());
                    } else if (!(e.getValue().isTextual() && MASK.equals(e.getValue().asText()))) {
                        config.set(e.getKey(), e.getValue());
                    }
                });
            } else if (field.getKey().equals("providerData") && field.getValue().isObject()) {
                ObjectNode providerData = merged.with("providerData");
                field.getValue().fields().forEachRemaining(e -> {
                    if (!(e.getValue().isTextual() && MASK.equals(e.getValue().asText()))) {
                        providerData.set(e.getKey(), e.getValue());
                    }
                });
            } else if (field.getKey().equals("element")) {
                if (!field.getValue().path("key").asText().equals(stored.path("element").path("key").asText())) {
                    throw new InvalidInstanceException("element.key", "an instance's element cannot change; create a new instance instead");
                }
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        }
        return merged;
    }
}
