package io.pollingevents.poll;

import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.OutboxEvent;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.support.UnusedOutboxStore;
import io.pollingevents.store.Watermark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** An in-memory {@link OutboxStore} for the poll side: remembers each stored poll and the event ids it holds. */
final class FakeOutboxStore extends UnusedOutboxStore {
    record SavedPoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark expected,
                     Watermark watermark) {
        List<String> objectIds() {
            return notifications.stream().flatMap(n -> n.events().stream()).map(OutboxEvent::objectId).toList();
        }
    }

    final List<SavedPoll> saved = new ArrayList<>();
    final Set<String> eventIds = new HashSet<>();

    @Override
    public int savePoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark expected,
                        Watermark watermark) {
        saved.add(new SavedPoll(instanceId, resource, List.copyOf(notifications), expected, watermark));
        int events = 0;
        for (OutboxNotification notification : notifications) {
            notification.events().forEach(e -> eventIds.add(e.id()));
            events += notification.events().size();
        }
        return events;
    }

    @Override
    public Set<String> storedEventIds(long instanceId, String resource, Collection<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::id).filter(eventIds::contains).collect(Collectors.toSet());
    }
}
