package io.pollingevents.store;

import java.util.Locale;

/** Where a notification is in its delivery. */
public enum DeliveryStatus {
    PENDING, DELIVERED, DEAD;

    /** Parses the API's lower-case status names; throws with the allowed values otherwise. */
    public static DeliveryStatus parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status '" + text + "'; use pending, delivered or dead");
        }
    }
}
