package io.pollingevents.delivery;

import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.support.UnusedOutboxStore;
import io.pollingevents.store.Watermark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An in-memory {@link OutboxStore} for the delivery tests: scripted answers, recorded calls. */
final class FakeOutboxStore extends UnusedOutboxStore {
    record DueCall(long now, int perInstance, int limit) {
    }

    record Claim(String id, String owner, long now, long leaseMillis) {
    }

    record Delivered(String id, String owner, long now, int httpStatus) {
    }

    record Failed(String id, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt) {
    }

    /** What {@link #due} answers (the fake does not filter it). */
    final List<OutboxNotification> due = new ArrayList<>();
    final List<DueCall> dueCalls = new ArrayList<>();
    final List<Claim> claims = new ArrayList<>();
    /** Notification ids whose claim another node holds. */
    final Set<String> claimedElsewhere = new HashSet<>();
    /** Notification ids whose claim fails with an exception. */
    final Set<String> claimFails = new HashSet<>();
    final List<Delivered> delivered = new ArrayList<>();
    final List<Failed> failed = new ArrayList<>();
    RuntimeException markFailure;
    final List<Long> purgeCutoffs = new ArrayList<>();
    int purgeAnswer;
    List<DeliveryCounts> counts = List.of();

    @Override
    public List<OutboxNotification> due(long now, int perInstance, int limit) {
        dueCalls.add(new DueCall(now, perInstance, limit));
        return List.copyOf(due);
    }

    @Override
    public boolean claim(String notificationId, String owner, long now, long leaseMillis) {
        claims.add(new Claim(notificationId, owner, now, leaseMillis));
        if (claimFails.contains(notificationId)) {
            throw new IllegalStateException("database unavailable");
        }
        return !claimedElsewhere.contains(notificationId);
    }

    @Override
    public void markDelivered(String notificationId, String owner, long now, int httpStatus) {
        delivered.add(new Delivered(notificationId, owner, now, httpStatus));
        if (markFailure != null) {
            throw markFailure;
        }
    }

    @Override
    public void markFailed(String notificationId, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt) {
        failed.add(new Failed(notificationId, owner, now, httpStatus, error, nextAttemptAt));
        if (markFailure != null) {
            throw markFailure;
        }
    }

    @Override
    public int purgeDelivered(long deliveredBefore) {
        purgeCutoffs.add(deliveredBefore);
        return purgeAnswer;
    }

    @Override
    public List<DeliveryCounts> allCounts() {
        return counts;
    }
}
