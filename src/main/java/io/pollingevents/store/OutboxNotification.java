package io.pollingevents.store;

import java.util.List;

/** A notification in the outbox: its fixed JSON body and the events it carries. */
public record OutboxNotification(String id, long instanceId, String resource, String body, int attempts, long createdAt,
                                 int eventCount, List<OutboxEvent> events) {
}
