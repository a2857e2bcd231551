package io.pollingevents.format;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations of the engine's settings: a whole number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses one duration such as {@code 250ms}, {@code 5s}, {@code 30m}, {@code 2h} or {@code 7d}.
     *
     * @param key the setting it came from, named in the error
     */
    public static Duration parse(String text, String key) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a duration; use a number with ms, s, m, h or d, e.g. 30s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
