package io.pollingevents.store;

import java.util.List;
import java.util.Optional;

/** Persists connector instances. */
public interface InstanceStore {
    /** Inserts an instance and initializes each resource's watermark to its creation time, atomically. */
    StoredInstance insert(String token, String elementKey, String name, String body, long createdAt, List<String> resources);

    /** Replaces the body; watermarks of resources new to the instance start at {@code now}. */
    void update(long id, String name, String body, long now, List<String> resources);

    boolean delete(long id);

    Optional<StoredInstance> find(long id);

    List<StoredInstance> findAll();

    /**
     * Up to {@code limit} instances with an id above {@code afterId}, in id order, in one query; with a {@code search}
     * text only rows whose name or body contains it, ignoring case (the caller narrows the body matches to tags).
     */
    List<StoredInstance> page(long afterId, String search, int limit);

    /** Every instance id with its {@code updatedAt}, without the bodies (for cheap change checks). */
    java.util.Map<Long, Long> versions();
}
