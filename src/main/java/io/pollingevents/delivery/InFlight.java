package io.pollingevents.delivery;

import io.pollingevents.store.OutboxNotification;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notifications this node has claimed whose callback call has not ended, in total and per instance, and whether a
 * call that ended freed enough room to be worth a claim. A claim is a database transaction: refilling every freed slot
 * at once cost one claim per notification, so an instance is refilled once half of its {@code per-instance} slots are free.
 */
final class InFlight {
    private final int capacity;
    private final int perInstance;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Long, Integer> byInstance = new ConcurrentHashMap<>();

    InFlight(int capacity, int perInstance) {
        this.capacity = capacity;
        this.perInstance = perInstance;
    }

    int free() {
        return capacity - total.get();
    }

    void claimed(List<OutboxNotification> notifications) {
        total.addAndGet(notifications.size());
        for (OutboxNotification n : notifications) {
            byInstance.merge(n.instanceId(), 1, Integer::sum);
        }
    }

    /**
     * Counts one call as ended; true when a claim is now worth its transaction. Every instance drains to half its
     * slots, so a notification that waited for node capacity, or for an older one of its object, is claimed then.
     */
    boolean ended(OutboxNotification notification) {
        total.decrementAndGet();
        Integer left = byInstance.computeIfPresent(notification.instanceId(), (id, count) -> count <= 1 ? null : count - 1);
        return atMostHalf(left == null ? 0 : left);
    }

    /** Whether the instance has at most half its slots calling, so that a claim for it is worth its transaction. */
    boolean roomFor(long instanceId) {
        return atMostHalf(byInstance.getOrDefault(instanceId, 0)) && free() > 0;
    }

    private boolean atMostHalf(int calling) {
        return calling <= perInstance / 2;
    }
}
