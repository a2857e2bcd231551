package io.pollingevents.store;

/** An event as the event log API shows it, with its notification's delivery state. */
public record EventLogEntry(String eventId, String notificationId, String resource, String objectId, String eventType,
                            long eventDate, DeliveryStatus status, int attempts, long createdAt, Long lastAttemptAt,
                            Integer lastStatus, String lastError, Long nextAttemptAt, Long deliveredAt) {
}
