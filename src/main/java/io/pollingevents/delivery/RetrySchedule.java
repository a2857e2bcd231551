package io.pollingevents.delivery;

import io.pollingevents.format.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delays between delivery attempts, e.g. {@code 5s,5m,30m,2h,5h,10h,10h} (Standard Webhooks' schedule:
 * eight attempts over about 28 hours), each varied by a random jitter so failed receivers are not hit in step.
 */
public final class RetrySchedule {
    public static final String DEFAULT = "5s,5m,30m,2h,5h,10h,10h";

    private final List<Duration> delays;
    private final double jitter;

    public RetrySchedule(List<Duration> delays, double jitter) {
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
    }

    /** Parses a comma-separated list of durations with unit ms, s, m, h or d. */
    public static RetrySchedule parse(String text, double jitter) {
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            delays.add(Durations.parse(p, "polling.delivery.retry-schedule"));
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("polling.delivery.jitter must be between 0 and 1 (a fraction of each delay), got " + jitter);
        }
        return new RetrySchedule(delays, jitter);
    }

    /** Total attempts: the first one plus one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * The delay before the next attempt after {@code attemptsMade} failed attempts, or -1 when the
     * schedule is exhausted and the notification becomes a dead letter.
     */
    public long nextDelayMillis(int attemptsMade) {
        if (attemptsMade < 1 || attemptsMade > delays.size()) {
            return -1;
        }
        long base = delays.get(attemptsMade - 1).toMillis();
        double factor = jitter == 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Math.max(0, Math.round(base * factor));
    }

    @Override
    public String toString() {
        return delays.toString();
    }
}
