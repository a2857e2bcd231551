package io.pollingevents.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A record that changed since the watermark, with its object id, change date and event type. */
public record DetectedChange(String objectId, Instant date, EventType type, JsonNode record) {
}
