package io.pollingevents.format;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads how long a server asks a client to wait: an HTTP {@code Retry-After} header (RFC 9110: delay seconds or an
 * HTTP date), or a vendor's {@code X-RateLimit-Reset} (seconds, or an epoch time in seconds).
 */
public final class RetryAfter {
    /** Vendors epoch-stamp X-RateLimit-Reset in seconds; smaller values are seconds to wait. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

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

    /** The wait an {@code X-RateLimit-Reset} header asks for in milliseconds (never negative); null when absent or unreadable. */
    public static Long resetMillis(String header, Clock clock) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return Math.max(0, seconds >= EPOCH_SECONDS_THRESHOLD ? seconds * 1000 - clock.millis() : seconds * 1000);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
