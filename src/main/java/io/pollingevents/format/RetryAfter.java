package io.pollingevents.format;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Reads an HTTP {@code Retry-After} header (RFC 9110): delay seconds or an HTTP date. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** The wait the header asks for in milliseconds (never negative); null when absent or unreadable. */
    public static Long millis(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                return Math.max(0, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - clock.millis());
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
