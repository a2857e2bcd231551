package io.pollingevents.format;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Compiles the Java date patterns of instance JSON and converts between record dates and instants. */
public final class DatePatterns {
    private static final ZonedDateTime SAMPLE = ZonedDateTime.of(2024, 11, 27, 13, 45, 30, 123_000_000, ZoneOffset.UTC);
    /** Patterns compiled before (formatters are immutable): a poll renders its URL's dates without compiling them. */
    private static final Map<String, DateTimeFormatter> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_COMPILED = 1_000;

    private DatePatterns() {
    }

    /**
     * Compiles a pattern for formatting and parsing; missing time fields default to midnight.
     *
     * @throws IllegalArgumentException with a readable reason when the pattern is not usable
     */
    public static DateTimeFormatter compile(String pattern) {
        DateTimeFormatter known = COMPILED.get(pattern);
        if (known != null) {
            return known;
        }
        DateTimeFormatter formatter = checked(pattern);
        if (COMPILED.size() < MAX_COMPILED) {
            COMPILED.put(pattern, formatter);
        }
        return formatter;
    }

    private static DateTimeFormatter checked(String pattern) {
        DateTimeFormatter formatter;
        try {
            formatter = new DateTimeFormatterBuilder()
                    .appendPattern(pattern)
                    .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                    .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                    .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                    .toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid Java date pattern (" + e.getMessage()
                    + "); use letters as in java.time.format.DateTimeFormatter, quote literals like 'T'", e);
        }
        String sample;
        try {
            sample = formatter.format(SAMPLE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + pattern + "' cannot format a date: " + e.getMessage(), e);
        }
        try {
            parse(sample, formatter, ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + pattern + "' does not name a full date (it printed '" + sample
                    + "' which cannot be read back); include at least year, month and day", e);
        }
        return formatter;
    }

    /**
     * The finest step the pattern can tell apart: one millisecond, second, minute, hour or day. A date rendered
     * with it may be up to this much earlier than the instant it stands for.
     */
    public static Duration precision(DateTimeFormatter formatter) {
        Instant base = SAMPLE.withNano(0).withSecond(0).withMinute(0).withHour(0).toInstant();
        for (Duration step : List.of(Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1))) {
            if (!format(base, formatter, ZoneOffset.UTC).equals(format(base.plus(step), formatter, ZoneOffset.UTC))) {
                return step;
            }
        }
        return Duration.ofDays(1);
    }

    /** Formats an instant with the pattern in the zone. */
    public static String format(Instant instant, DateTimeFormatter formatter, ZoneId zone) {
        return formatter.format(instant.atZone(zone));
    }

    /** Parses a date string with the formatter; an offset in the text wins over the configured zone. */
    public static Instant parse(String text, DateTimeFormatter formatter, ZoneId zone) {
        TemporalAccessor parsed = formatter.withZone(zone).parse(text.trim());
        if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(parsed);
        }
        return ZonedDateTime.from(parsed).toInstant();
    }

    /** Parses a date without a configured pattern: a number is epoch millis, text is ISO-8601. */
    public static Instant parseUnformatted(Object value) {
        if (value instanceof Number number) {
            return Instant.ofEpochMilli(number.longValue());
        }
        String text = String.valueOf(value).trim();
        if (text.matches("-?\\d{1,19}")) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }
}
