package io.pollingevents.store;

import java.util.List;

/**
 * The transactional outbox of notifications. A poll's notifications and its watermark are stored in one
 * transaction; delivery claims due notifications with a lease, so each is sent by one node at a time.
 */
public interface OutboxStore {
    /**
     * Stores a poll's notifications and moves the resource's watermark, atomically. Events whose id is
     * already stored are left out (a notification left empty is not stored). Returns the events stored.
     */
    int savePoll(long instanceId, String resource, List<OutboxNotification> notifications, Watermark watermark);

    /**
     * Due, unclaimed pending notifications, oldest first, at most {@code perInstance} per instance and
     * {@code limit} in all, leaving out any whose objects have an older pending notification (per-object order).
     */
    List<OutboxNotification> due(long now, int perInstance, int limit);

    /** Claims a notification for {@code owner} until {@code now + leaseMillis}; false if another holds it. */
    boolean claim(String notificationId, String owner, long now, long leaseMillis);

    void markDelivered(String notificationId, long now, int httpStatus);

    /** Records a failed attempt; a null {@code nextAttemptAt} makes the notification a dead letter. */
    void markFailed(String notificationId, long now, Integer httpStatus, String error, Long nextAttemptAt);

    /** Releases every claim, e.g. at the start of a single node whose previous process died. */
    void releaseClaims();

    List<EventLogEntry> events(long instanceId, DeliveryStatus status, int limit);

    /** Makes the notification carrying the event pending again, due now; returns false if the event is unknown. */
    boolean retryEvent(long instanceId, String eventId, long now);

    /** Makes every notification of the instance in the given status pending again; returns how many. */
    int retryAll(long instanceId, DeliveryStatus status, long now);

    /** Deletes delivered notifications delivered before the cutoff; returns how many. */
    int purgeDelivered(long deliveredBefore);

    List<DeliveryCounts> counts(long instanceId);

    /** Pending and dead counts of every (instance, resource), for metrics. */
    List<DeliveryCounts> allCounts();
}
