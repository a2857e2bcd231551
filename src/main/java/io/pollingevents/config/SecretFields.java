package io.pollingevents.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Applies encryption or decryption to the secret values of an instance body: secret configuration keys and providerData. */
public final class SecretFields {
    private SecretFields() {
    }

    /** A copy of the body with every secret text value passed through {@code transform}. */
    public static ObjectNode transform(ObjectNode body, ElementDescriptor element, UnaryOperator<String> transform) {
        ObjectNode copy = body.deepCopy();
        if (copy.get("configuration") instanceof ObjectNode config) {
            List<String> keys = new ArrayList<>();
            config.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (ConfigKeys.isSecret(key, element) && config.get(key).isTextual()) {
                    config.put(key, transform.apply(config.get(key).asText()));
                }
            }
        }
        if (copy.get("providerData") instanceof ObjectNode providerData) {
            List<String> keys = new ArrayList<>();
            providerData.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (providerData.get(key).isTextual()) {
                    providerData.put(key, transform.apply(providerData.get(key).asText()));
                }
            }
        }
        return copy;
    }
}
