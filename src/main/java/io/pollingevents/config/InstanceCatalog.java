package io.pollingevents.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The validated definitions of the instances this engine polls, by id; kept in step with the store. */
public final class InstanceCatalog {
    private final Map<Long, InstanceDefinition> instances = new ConcurrentHashMap<>();
    private final Map<Long, Long> versions = new ConcurrentHashMap<>();

    /** Adds or replaces an instance, remembering the store's {@code updatedAt} it was read at. */
    public void put(InstanceDefinition instance, long updatedAt) {
        instances.put(instance.id(), instance);
        versions.put(instance.id(), updatedAt);
    }

    public void remove(long id) {
        instances.remove(id);
        versions.remove(id);
    }

    /** The store's {@code updatedAt} of the version this node runs, or null when it does not run the instance. */
    public Long version(long id) {
        return versions.get(id);
    }

    public java.util.Set<Long> ids() {
        return versions.keySet();
    }

    public Optional<InstanceDefinition> find(long id) {
        return Optional.ofNullable(instances.get(id));
    }
}
