package io.pollingevents.config;

import io.pollingevents.element.Pagination;

/**
 * The polling configuration of one resource of an instance, as in {@code event.poller.configuration}.
 *
 * @param name          the resource name, used as the event's objectType
 * @param url           the hub URL template, with placeholders
 * @param idField       the record field holding the object id
 * @param updatedDate   the updated-date field, or null
 * @param createdDate   the created-date field, or null
 * @param pagination    how the hub pages this resource (element default merged with the resource's override)
 */
public record ResourceConfig(String name, String url, String idField, DateField updatedDate, DateField createdDate,
                             Pagination pagination) {

    /** True when the resource declares no date field, so every returned record is an UNKNOWN event. */
    public boolean hasNoDates() {
        return updatedDate == null && createdDate == null;
    }

    /** The field that decides whether a record changed: the updated date, else the created date. */
    public DateField changeDate() {
        return updatedDate != null ? updatedDate : createdDate;
    }
}
