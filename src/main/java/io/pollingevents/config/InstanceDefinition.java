package io.pollingevents.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A validated connector instance: the body as the user sent it plus the values the engine polls with.
 *
 * @param body the instance body, normalized (configuration values as given, poller configuration as object)
 */
public record InstanceDefinition(
        long id,
        String token,
        String elementKey,
        String name,
        List<String> tags,
        ObjectNode body,
        boolean notificationsEnabled,
        String callbackUrl,
        String signatureKey,
        long refreshIntervalMillis,
        ZoneId timezone,
        List<ResourceConfig> resources,
        Instant createdAt) {

    /** The configuration value for a key, as text, or null when absent. */
    public String config(String key) {
        var value = body.path("configuration").get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    public ResourceConfig resource(String resourceName) {
        return resources.stream().filter(r -> r.name().equals(resourceName)).findFirst().orElse(null);
    }

    public InstanceDefinition withIdentity(long newId, String newToken, Instant created) {
        return new InstanceDefinition(newId, newToken, elementKey, name, tags, body, notificationsEnabled, callbackUrl,
                signatureKey, refreshIntervalMillis, timezone, resources, created);
    }
}
