package io.pollingevents.store;

/** Pending and dead notifications of a resource, and the creation time of its oldest pending one (or null). */
public record DeliveryCounts(long instanceId, String resource, long pending, long dead, Long oldestPendingCreatedAt) {
}
