package io.pollingevents.poll;

/** The event types of Open Connectors notifications. */
public enum EventType {
    CREATED, UPDATED, DELETED, UNKNOWN
}
