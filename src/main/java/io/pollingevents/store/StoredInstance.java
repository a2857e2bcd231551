package io.pollingevents.store;

/** An instance row: identity, the body JSON as text and its timestamps in epoch millis. */
public record StoredInstance(long id, String token, String elementKey, String name, String body, long createdAt, long updatedAt) {
}
