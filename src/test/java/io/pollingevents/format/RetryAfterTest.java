package io.pollingevents.format;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsDelaySecondsOrAnHttpDate() {
        assertThat(RetryAfter.millis("120", CLOCK)).isEqualTo(120_000);
        assertThat(RetryAfter.millis(" 0 ", CLOCK)).isZero();
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(60).atZone(ZoneOffset.UTC));
        assertThat(RetryAfter.millis(inAMinute, CLOCK)).isEqualTo(60_000);
    }

    @Test
    void aPastDateOrNegativeDelayMeansNow() {
        String aMinuteAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(60).atZone(ZoneOffset.UTC));
        assertThat(RetryAfter.millis(aMinuteAgo, CLOCK)).isZero();
        assertThat(RetryAfter.millis("-5", CLOCK)).isZero();
    }

    @Test
    void absentOrUnreadableIsNull() {
        assertThat(RetryAfter.millis(null, CLOCK)).isNull();
        assertThat(RetryAfter.millis("  ", CLOCK)).isNull();
        assertThat(RetryAfter.millis("whenever", CLOCK)).isNull();
    }

    @Test
    void readsARateLimitResetInSecondsOrAsAnEpochTime() {
        assertThat(RetryAfter.resetMillis("2", CLOCK)).isEqualTo(2_000);
        assertThat(RetryAfter.resetMillis(Long.toString(NOW.getEpochSecond() + 30), CLOCK)).isEqualTo(30_000);
        assertThat(RetryAfter.resetMillis(Long.toString(NOW.getEpochSecond() - 30), CLOCK)).isZero();
        assertThat(RetryAfter.resetMillis("soon", CLOCK)).isNull();
        assertThat(RetryAfter.resetMillis(null, CLOCK)).isNull();
    }
}
