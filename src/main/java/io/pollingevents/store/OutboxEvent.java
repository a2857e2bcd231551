package io.pollingevents.store;

/** One event of a stored notification; {@code eventDate} in epoch millis. */
public record OutboxEvent(String id, String objectId, String eventType, long eventDate) {
}
