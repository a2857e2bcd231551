package io.pollingevents.support;

import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.OutboxEvent;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.Watermark;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Base of in-memory outbox fakes: each test fake overrides what its code under test calls; anything else fails loudly. */
public abstract class UnusedOutboxStore implements OutboxStore {
    private static UnsupportedOperationException unused(String method) {
        return new UnsupportedOperationException("OutboxStore." + method + " is not used by this test's fake");
    }

    @Override
    public int savePoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark expected, Watermark watermark) {
        throw unused("savePoll");
    }

    @Override
    public Set<String> storedEventIds(long instanceId, String resource, Collection<OutboxEvent> events) {
        throw unused("storedEventIds");
    }

    @Override
    public List<OutboxNotification> claimDue(String owner, long now, long leaseMillis, int perInstance, int limit) {
        throw unused("claimDue");
    }

    @Override
    public void callEnded(String notificationId, String owner) {
        throw unused("callEnded");
    }

    @Override
    public void markDelivered(String notificationId, String owner, long now, int httpStatus) {
        throw unused("markDelivered");
    }

    @Override
    public void markFailed(String notificationId, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt) {
        throw unused("markFailed");
    }

    @Override
    public void releaseClaims() {
        throw unused("releaseClaims");
    }

    @Override
    public List<EventLogEntry> events(long instanceId, DeliveryStatus status, int limit) {
        throw unused("events");
    }

    @Override
    public java.util.Optional<String> notificationBody(long instanceId, String eventId) {
        throw unused("notificationBody");
    }

    @Override
    public List<io.pollingevents.store.MinuteActivity> activity(long instanceId, long since) {
        throw unused("activity");
    }

    @Override
    public boolean retryEvent(long instanceId, String eventId, long now) {
        throw unused("retryEvent");
    }

    @Override
    public int retryAll(long instanceId, DeliveryStatus status, long now) {
        throw unused("retryAll");
    }

    @Override
    public int purgeDelivered(long deliveredBefore) {
        throw unused("purgeDelivered");
    }

    @Override
    public List<DeliveryCounts> counts(long instanceId) {
        throw unused("counts");
    }

    @Override
    public List<DeliveryCounts> countsOf(Collection<Long> instanceIds) {
        throw unused("countsOf");
    }

    @Override
    public List<DeliveryCounts> allCounts() {
        throw unused("allCounts");
    }
}
