package io.pollingevents.config;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A record's date field: its name, its pattern (null means epoch millis or ISO-8601) and its zone.
 */
public record DateField(String name, String pattern, DateTimeFormatter formatter, ZoneId zone) {
}
