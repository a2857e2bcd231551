package io.pollingevents.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The validated definitions of the instances this engine polls, by id; kept in step with the store. */
public final class InstanceCatalog {
    private final Map<Long, InstanceDefinition> instances = new ConcurrentHashMap<>();

    public void put(InstanceDefinition instance) {
        instances.put(instance.id(), instance);
    }

    public void remove(long id) {
        instances.remove(id);
    }

    public Optional<InstanceDefinition> find(long id) {
        return Optional.ofNullable(instances.get(id));
    }

    public Collection<InstanceDefinition> all() {
        return instances.values();
    }
}
