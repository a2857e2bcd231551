package io.pollingevents.delivery;

import io.pollingevents.store.OutboxNotification;

/**
 * What the dispatcher hears of an attempt of a notification it claimed: when its callback call ends, which frees its
 * slot, and when its outcome is written, which may let a newer notification of the same objects be claimed.
 */
public interface AttemptEvents {
    /** The attempt's callback call ended (or the attempt failed before making it); its outcome is not written yet. */
    void callEnded(OutboxNotification notification);

    /** The attempt's outcome is written, or could not be (then the claim runs out and the notification is sent again). */
    void outcomeWritten(OutboxNotification notification);
}
