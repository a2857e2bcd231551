package io.pollingevents.poll;

import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.store.OutboxEvent;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a poll's changes into the notifications to store: each event once (a hub may list a record twice, and a
 * repeated poll or a lookback finds what is already in the outbox), oldest first, at most ten events each.
 */
final class NewNotifications {
    /** The order of a poll's events: oldest change first, then by object id. */
    static final Comparator<DetectedChange> OLDEST_FIRST =
            Comparator.comparing(DetectedChange::date).thenComparing(DetectedChange::objectId);

    private final NotificationBuilder builder;
    private final OutboxStore outbox;

    NewNotifications(NotificationBuilder builder, OutboxStore outbox) {
        this.builder = builder;
        this.outbox = outbox;
    }

    /**
     * @param dropStored whether events already in the outbox are left out (false for an instance that is not stored)
     */
    List<OutboxNotification> of(PollContext poll, List<DetectedChange> changes, boolean dropStored) {
        long instanceId = poll.instance().id();
        String resource = poll.resource().name();
        Map<String, DetectedChange> byEventId = new LinkedHashMap<>();
        List<OutboxEvent> events = new ArrayList<>(changes.size());
        for (DetectedChange change : changes) {
            OutboxEvent event = NotificationBuilder.event(instanceId, resource, change);
            if (byEventId.putIfAbsent(event.id(), change) == null) {
                events.add(event);
            }
        }
        if (dropStored) {
            byEventId.keySet().removeAll(outbox.storedEventIds(instanceId, resource, events));
        }
        List<DetectedChange> fresh = new ArrayList<>(byEventId.values());
        fresh.sort(OLDEST_FIRST);
        List<OutboxNotification> notifications = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i += NotificationBuilder.MAX_EVENTS) {
            notifications.add(builder.build(poll.instance(), poll.resource(), poll.element(), poll.pollTime(),
                    fresh.subList(i, Math.min(fresh.size(), i + NotificationBuilder.MAX_EVENTS))));
        }
        return notifications;
    }
}
