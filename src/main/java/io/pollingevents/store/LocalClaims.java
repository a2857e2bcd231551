package io.pollingevents.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The delivery claims of an H2 outbox, held in memory. H2 in file mode serves one process, so no other node reads a
 * claim and a new process starts with none (which is what releasing the claims at start did); writing them would cost
 * a commit per claim and two index updates per notification (the claiming thread had a quarter of the engine's
 * samples in a poll of 100,000 events). A claim is still a lease: past its end the notification may be claimed again,
 * as in the database.
 */
final class LocalClaims {
    private record Claim(long instanceId, String owner, long until, boolean calling) {
    }

    /** Of one instance: the claims whose lease has not ended, and how many of those still have their callback call running. */
    record Held(long claims, long calling) {
    }

    private final Map<String, Claim> byNotification = new HashMap<>();

    /** Claims the notifications (id to instance) for the owner until the given time. */
    synchronized void claim(Map<String, Long> instanceByNotification, String owner, long until) {
        instanceByNotification.forEach((id, instanceId) -> byNotification.put(id, new Claim(instanceId, owner, until, true)));
    }

    /** The owner's callback call of the notification has ended: still claimed, no longer counted as calling. */
    synchronized void callEnded(String notificationId, String owner) {
        byNotification.computeIfPresent(notificationId, (id, claim) -> claim.owner().equals(owner)
                ? new Claim(claim.instanceId(), owner, claim.until(), false) : claim);
    }

    /**
     * Whether the owner made the last claim of the notification, whether or not its lease has ended (as the claim columns
     * kept the owner until the outcome was written).
     */
    synchronized boolean ownedBy(String notificationId, String owner) {
        Claim claim = byNotification.get(notificationId);
        return claim != null && claim.owner().equals(owner);
    }

    /** Whether the notification is claimed and its lease has not ended at {@code now}. */
    synchronized boolean held(String notificationId, long now) {
        Claim claim = byNotification.get(notificationId);
        return claim != null && claim.until() >= now;
    }

    /** Per instance, its claims whose lease has not ended at {@code now}, and how many of those are calling. */
    synchronized Map<Long, Held> heldPerInstance(long now) {
        Map<Long, Held> held = new HashMap<>();
        for (Claim claim : byNotification.values()) {
            if (claim.until() >= now) {
                held.merge(claim.instanceId(), new Held(1, claim.calling() ? 1 : 0),
                        (a, b) -> new Held(a.claims() + b.claims(), a.calling() + b.calling()));
            }
        }
        return held;
    }

    /** Ends claims once their outcome is committed (earlier, a claim could take the notification while it is still pending). */
    synchronized void release(Collection<String> notificationIds) {
        notificationIds.forEach(byNotification::remove);
    }

    synchronized void releaseAll() {
        byNotification.clear();
    }
}
