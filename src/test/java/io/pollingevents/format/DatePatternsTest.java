package io.pollingevents.format;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatePatternsTest {

    @Test
    void rejectsSyntacticallyInvalidPattern() {
        assertThatThrownBy(() -> DatePatterns.compile("yyyy-MM-dd'T"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yyyy-MM-dd'T' is not a valid Java date pattern");
        assertThatThrownBy(() -> DatePatterns.compile("yyyy-MM-dd bbb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid Java date pattern");
    }

    @Test
    void rejectsPatternsWithoutFullDate() {
        assertThatThrownBy(() -> DatePatterns.compile("HH:mm:ss"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not name a full date");
        assertThatThrownBy(() -> DatePatterns.compile("yyyy-MM"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not name a full date");
    }

    @Test
    void dateOnlyPatternParsesAsMidnightInTheZone() {
        DateTimeFormatter f = DatePatterns.compile("yyyy-MM-dd");

        assertThat(DatePatterns.parse("2024-11-27", f, ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2024-11-26T23:00:00Z"));
    }

    @Test
    void textWithoutOffsetIsReadInTheGivenZone() {
        DateTimeFormatter f = DatePatterns.compile("yyyy-MM-dd HH:mm:ss");

        assertThat(DatePatterns.parse("2024-07-01 10:00:00", f, ZoneId.of("America/New_York")))
                .isEqualTo(Instant.parse("2024-07-01T14:00:00Z"));
        assertThat(DatePatterns.parse("2024-07-01 10:00:00", f, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
    }

    @Test
    void offsetInTextWinsOverConfiguredZone() {
        DateTimeFormatter f = DatePatterns.compile("yyyy-MM-dd'T'HH:mm:ssXXX");

        assertThat(DatePatterns.parse("2024-11-27T13:45:30+01:00", f, ZoneId.of("America/New_York")))
                .isEqualTo(Instant.parse("2024-11-27T12:45:30Z"));
    }

    @Test
    void parsesMillisWithQuotedZ() {
        DateTimeFormatter f = DatePatterns.compile("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

        assertThat(DatePatterns.parse(" 2024-11-27T13:45:30.123Z ", f, ZoneId.of("GMT")))
                .isEqualTo(Instant.parse("2024-11-27T13:45:30.123Z"));
    }

    @Test
    void formatRoundTripsThroughParse() {
        DateTimeFormatter f = DatePatterns.compile("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        Instant t = Instant.parse("2024-03-31T01:30:00.007Z");
        ZoneId zone = ZoneId.of("Europe/Berlin");

        String text = DatePatterns.format(t, f, zone);

        assertThat(text).isEqualTo("2024-03-31T03:30:00.007+02:00");
        assertThat(DatePatterns.parse(text, f, ZoneOffset.UTC)).isEqualTo(t);
    }

    @Test
    void unformattedNumberIsEpochMillis() {
        assertThat(DatePatterns.parseUnformatted(1732715130123L)).isEqualTo(Instant.parse("2024-11-27T13:45:30.123Z"));
        assertThat(DatePatterns.parseUnformatted(" 1732715130123 ")).isEqualTo(Instant.parse("2024-11-27T13:45:30.123Z"));
    }

    @Test
    void unformattedTextIsIso8601WithOffsetOrZ() {
        assertThat(DatePatterns.parseUnformatted("2024-11-27T13:45:30+01:00")).isEqualTo(Instant.parse("2024-11-27T12:45:30Z"));
        assertThat(DatePatterns.parseUnformatted("2024-11-27T13:45:30.5Z")).isEqualTo(Instant.parse("2024-11-27T13:45:30.500Z"));
    }

    @Test
    void unformattedTextWithoutZoneIsRejected() {
        assertThatThrownBy(() -> DatePatterns.parseUnformatted("2024-11-27T13:45:30"))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> DatePatterns.parseUnformatted("yesterday"))
                .isInstanceOf(RuntimeException.class);
    }
}
