package io.pollingevents.config;

import io.pollingevents.element.Pagination;
import io.pollingevents.element.VendorCall;

import java.time.Duration;

/**
 * The polling configuration of one resource of an instance, as in {@code event.poller.configuration}.
 *
 * @param name          the resource name, used as the event's objectType
 * @param url           the URL template as configured, with placeholders
 * @param idField       the record field holding the object id
 * @param updatedDate   the updated-date field, or null
 * @param createdDate   the created-date field, or null
 * @param call          the vendor call the URL stands for, with its records path and merged pagination
 * @param lookback      how far before the watermark each poll asks again, for same-second and late changes
 */
public record ResourceConfig(String name, String url, String idField, DateField updatedDate, DateField createdDate,
                             VendorCall call, Duration lookback) {

    /** True when the resource declares no date field, so every returned record is an UNKNOWN event. */
    public boolean hasNoDates() {
        return updatedDate == null && createdDate == null;
    }

    /** The field that decides whether a record changed: the updated date, else the created date. */
    public DateField changeDate() {
        return updatedDate != null ? updatedDate : createdDate;
    }

    /** How the hub pages this resource (element default merged with the resource's override). */
    public Pagination pagination() {
        return call.pagination();
    }
}
