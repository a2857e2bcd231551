package io.pollingevents.event;

/** The event types of Open Connectors notifications. */
public enum EventType {
    CREATED, UPDATED, DELETED, UNKNOWN
}
