package io.pollingevents.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstancePatch;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.ResourceState;

import java.time.Instant;
import java.util.List;

/** Renders an instance for API responses, with every secret masked. */
final class InstanceView {
    private InstanceView() {
    }

    static ObjectNode render(ObjectMapper mapper, InstanceDefinition instance, ElementDescriptor element,
                             List<ResourceState> states, List<DeliveryCounts> counts, long updatedAt) {
        ObjectNode view = mapper.createObjectNode();
        view.put("id", instance.id());
        view.put("name", instance.name());
        view.putObject("element").put("key", instance.elementKey());
        view.set("tags", mapper.valueToTree(instance.tags()));
        ObjectNode config = instance.body().path("configuration").deepCopy();
        List<String> keys = new java.util.ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (ConfigKeys.isSecret(key, element)) {
                config.put(key, InstancePatch.MASK);
            }
        }
        view.set("configuration", config);
        if (instance.body().has("providerData")) {
            ObjectNode providerData = instance.body().path("providerData").deepCopy();
            List<String> pdKeys = new java.util.ArrayList<>();
            providerData.fieldNames().forEachRemaining(pdKeys::add);
            pdKeys.forEach(k -> providerData.put(k, InstancePatch.MASK));
            view.set("providerData", providerData);
        }
        view.put("eventsEnabled", instance.notificationsEnabled());
        view.put("createdDate", instance.createdAt().toString());
        view.put("updatedDate", Instant.ofEpochMilli(updatedAt).toString());
        var resources = view.putArray("resources");
        long pending = 0;
        long dead = 0;
        for (ResourceState state : states) {
            DeliveryCounts c = counts.stream().filter(d -> d.resource().equals(state.resource())).findFirst()
                    .orElse(new DeliveryCounts(instance.id(), state.resource(), 0, 0, null));
            pending += c.pending();
            dead += c.dead();
            ObjectNode r = resources.addObject();
            r.put("name", state.resource());
            r.put("watermark", Instant.ofEpochMilli(state.watermarkMs()).toString());
            r.put("lastPollDate", state.lastPollMs() == null ? null : Instant.ofEpochMilli(state.lastPollMs()).toString());
            r.put("lastPollResult", state.lastResult());
            r.put("pendingNotifications", c.pending());
            r.put("deadNotifications", c.dead());
        }
        view.put("pendingNotifications", pending);
        view.put("deadNotifications", dead);
        return view;
    }

}
