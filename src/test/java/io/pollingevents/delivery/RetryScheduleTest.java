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
}
