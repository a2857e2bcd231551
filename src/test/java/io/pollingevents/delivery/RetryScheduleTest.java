package io.pollingevents.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {
    @Test
    void defaultScheduleSpansMoreThanADayInEightAttempts() {
        RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT, 0);
        assertThat(schedule.maxAttempts()).isEqualTo(8);
        long total = 0;
        for (int attempt = 1; attempt < schedule.maxAttempts(); attempt++) {
            total += schedule.nextDelayMillis(attempt);
        }
        assertThat(Duration.ofMillis(total)).isGreaterThan(Duration.ofDays(1));
        assertThat(schedule.nextDelayMillis(1)).isEqualTo(5_000);
        assertThat(schedule.nextDelayMillis(8)).as("exhausted: dead letter").isEqualTo(-1);
    }

    @Test
    void jitterVariesEachDelayWithinItsFraction() {
        RetrySchedule schedule = RetrySchedule.parse("10s", 0.2);
        for (int i = 0; i < 200; i++) {
            assertThat(schedule.nextDelayMillis(1)).isBetween(8_000L, 12_000L);
        }
    }

    @Test
    void badScheduleNamesTheKeyAndTheFix() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,soon", 0.2))
                .hasMessageContaining("polling.delivery.retry-schedule").hasMessageContaining("'soon'").hasMessageContaining("e.g. 30s");
        assertThatThrownBy(() -> RetrySchedule.parse("5s", 1.5)).hasMessageContaining("polling.delivery.jitter");
    }

    @Test
    void jitterMustBeAFractionBelowOne() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s", 1.0)).hasMessageContaining("between 0 and 1").hasMessageContaining("1.0");
        assertThatThrownBy(() -> RetrySchedule.parse("5s", -0.1)).hasMessageContaining("polling.delivery.jitter");
        assertThat(RetrySchedule.parse("5s", 0.99).maxAttempts()).isEqualTo(2);
        assertThat(RetrySchedule.parse("5s", 0).nextDelayMillis(1)).isEqualTo(5_000);
    }

    @Test
    void delaysFollowTheScheduleInOrderWithAnyUnit() {
        RetrySchedule schedule = RetrySchedule.parse(" 250ms, 5S ,,2m,1h,1d ", 0);

        assertThat(schedule.maxAttempts()).isEqualTo(6);
        assertThat(schedule.nextDelayMillis(1)).isEqualTo(250);
        assertThat(schedule.nextDelayMillis(2)).isEqualTo(5_000);
        assertThat(schedule.nextDelayMillis(3)).isEqualTo(120_000);
        assertThat(schedule.nextDelayMillis(4)).isEqualTo(3_600_000);
        assertThat(schedule.nextDelayMillis(5)).isEqualTo(86_400_000);
        assertThat(schedule.nextDelayMillis(6)).isEqualTo(-1);
    }

    @Test
    void noAttemptsMadeHasNoDelay() {
        RetrySchedule schedule = RetrySchedule.parse("5s", 0);

        assertThat(schedule.nextDelayMillis(0)).isEqualTo(-1);
        assertThat(schedule.nextDelayMillis(-3)).isEqualTo(-1);
    }

    @Test
    void emptyScheduleMeansASingleAttempt() {
        RetrySchedule schedule = RetrySchedule.parse("", 0.2);

        assertThat(schedule.maxAttempts()).isEqualTo(1);
        assertThat(schedule.nextDelayMillis(1)).isEqualTo(-1);
    }

    @Test
    void jitterVariesTheDelayBothWays() {
        RetrySchedule schedule = RetrySchedule.parse("10s", 0.5);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 500; i++) {
            long delay = schedule.nextDelayMillis(1);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        // 500 draws from [5 s, 15 s): missing the lowest or highest quarter has a chance of 0.75^500
        assertThat(min).isLessThan(7_500);
        assertThat(max).isGreaterThan(12_500);
    }

    @Test
    void printsItsDelays() {
        assertThat(RetrySchedule.parse("5s,2m", 0)).hasToString("[PT5S, PT2M]");
    }
}
