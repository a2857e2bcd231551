package io.pollingevents.store;

/** One successful delivery attempt to record: which notification, when, and the callback's HTTP status. */
public record DeliveredOutcome(String notificationId, long at, int httpStatus) {
}
