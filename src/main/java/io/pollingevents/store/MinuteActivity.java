package io.pollingevents.store;

/**
 * One minute of an instance's outbox: events stored by polls, events delivered, and the delivery latency (notification
 * stored to delivered) of the deliveries in that minute; latencies are null in a minute without deliveries.
 */
public record MinuteActivity(long minuteStartMs, long found, long delivered, Double latencyAvgMs, Long latencyMaxMs) {
}
