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
import java.util.List;
import java.util.Set;

/** An in-memory {@link OutboxStore} for the delivery tests: scripted answers, recorded calls. */
final class FakeOutboxStore extends UnusedOutboxStore {
    record ClaimCall(String owner, long now, long leaseMillis, int perInstance, int limit) {
    }

    record Delivered(String id, String owner, long now, int httpStatus) {
    }

    record Failed(String id, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt) {
    }

    /** What the store holds due, oldest first; a claim takes up to its limit from the front. */
    final List<OutboxNotification> due = new ArrayList<>();
    final List<ClaimCall> claimCalls = new ArrayList<>();
    /** Set to make claims fail as a database outage would. */
    RuntimeException claimFailure;
    /** The notifications whose callback call ended ({@link #callEnded}), in order. */
    final List<String> callsEnded = new ArrayList<>();
    final List<Delivered> delivered = new ArrayList<>();
    final List<Failed> failed = new ArrayList<>();
    RuntimeException markFailure;
    final List<Long> purgeCutoffs = new ArrayList<>();
    int purgeAnswer;
    List<DeliveryCounts> counts = List.of();

    @Override
    public List<OutboxNotification> claimDue(String owner, long now, long leaseMillis, int perInstance, int limit) {
        claimCalls.add(new ClaimCall(owner, now, leaseMillis, perInstance, limit));
        if (claimFailure != null) {
            throw claimFailure;
        }
        List<OutboxNotification> claimed = new ArrayList<>(due.subList(0, Math.min(limit, due.size())));
        due.removeAll(claimed);
        return claimed;
    }

    @Override
    public void callEnded(String notificationId, String owner) {
        callsEnded.add(notificationId);
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
