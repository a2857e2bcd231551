package io.pollingevents.store;

import java.util.List;

/**
 * The transactional outbox of notifications. A poll's notifications and its watermark are stored in one
 * transaction; delivery claims due notifications with a lease, so each is sent by one node at a time.
 */
public interface OutboxStore {
    /**
     * Stores a poll's notifications and, when {@code watermark} is given, moves the resource's watermark from
     * {@code expected} to it, atomically. Fails with {@link ConcurrentPollException} and stores nothing when an
     * event (the same object and date) is already stored or the watermark is no longer {@code expected} (another
     * poll got there first). Returns the events stored.
     */
    int savePoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark expected, Watermark watermark);

    /**
     * The ids of those given events of one resource that are already in the outbox. An event is the one stored when its
     * object and date are (its id is made from them), so the store finds it through its per-object index and keeps no
     * index of event ids, whose random order made every stored event rewrite a page of its own.
     */
    java.util.Set<String> storedEventIds(long instanceId, String resource, java.util.Collection<OutboxEvent> events);

    /**
     * Claims for {@code owner}, until {@code now + leaseMillis}, up to {@code limit} due notifications, in one statement
     * where the database allows: oldest first and taking turns across instances; never more than {@code perInstance}
     * of one instance in flight (claimed, on any node, and not past {@link #callEnded}); leaving out any whose objects
     * have an older pending notification (per-object order) and any another node claims at the same moment.
     */
    List<OutboxNotification> claimDue(String owner, long now, long leaseMillis, int perInstance, int limit);

    /**
     * The callback call of {@code owner}'s attempt of a claimed notification has ended and its outcome is about to be
     * written. The notification stays claimed (no claim takes it before its outcome is written or its lease ends), but
     * this owner's claims no longer count it against its instance's {@code perInstance}: a slot is held while the
     * callback works, not while the outcome waits for its commit (several ms under a running poll). Other nodes of a
     * cluster count it until its outcome is written.
     */
    void callEnded(String notificationId, String owner);

    /** Records a delivery, only if {@code owner} still holds the claim (a late attempt changes nothing). */
    void markDelivered(String notificationId, String owner, long now, int httpStatus);

    /** Records several delivered attempts of one owner at once, in one transaction where the store can. */
    default void markDelivered(String owner, java.util.List<DeliveredOutcome> outcomes) {
        for (DeliveredOutcome outcome : outcomes) {
            markDelivered(outcome.notificationId(), owner, outcome.at(), outcome.httpStatus());
        }
    }

    /**
     * Records a failed attempt, only if {@code owner} still holds the claim; a null {@code nextAttemptAt}
     * makes the notification a dead letter.
     */
    void markFailed(String notificationId, String owner, long now, Integer httpStatus, String error, Long nextAttemptAt);

    /** Releases every claim, e.g. at the start of a single node whose previous process died. */
    void releaseClaims();

    List<EventLogEntry> events(long instanceId, DeliveryStatus status, int limit);

    /** The body of the notification that carries the event, as it is sent; empty if the instance has no such event. */
    java.util.Optional<String> notificationBody(long instanceId, String eventId);

    /**
     * Per minute since {@code since}, events stored and delivered and the delivery latency, from the outbox in two
     * grouped queries (delivered notifications are kept for the retention); minutes without any are left out.
     */
    List<MinuteActivity> activity(long instanceId, long since);

    /** Makes the notification carrying the event pending again, due now; returns false if the event is unknown. */
    boolean retryEvent(long instanceId, String eventId, long now);

    /** Makes every notification of the instance in the given status pending again; returns how many. */
    int retryAll(long instanceId, DeliveryStatus status, long now);

    /** Deletes delivered notifications delivered before the cutoff; returns how many. */
    int purgeDelivered(long deliveredBefore);

    List<DeliveryCounts> counts(long instanceId);

    /** Pending and dead counts of every resource of the given instances, in one query. */
    List<DeliveryCounts> countsOf(java.util.Collection<Long> instanceIds);

    /** Pending and dead counts of every (instance, resource), for metrics. */
    List<DeliveryCounts> allCounts();
}
