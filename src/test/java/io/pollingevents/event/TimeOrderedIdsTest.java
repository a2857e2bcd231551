package io.pollingevents.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {
    @Test
    void idsSortAsTextInTheOrderTheyWereMadeEvenWithinOneMillisecond() {
        TimeOrderedIds ids = new TimeOrderedIds();
        long now = 1_764_000_000_000L;
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than the 4,096 of one millisecond
            made.add(ids.next(now).toString());
        }
        made.add(ids.next(now + 1).toString()); // the clock is now behind what the ids borrowed
        made.add(ids.next(now + 60_000).toString());
        made.add(ids.next(now - 5).toString()); // a clock stepped back
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        UUID id = new TimeOrderedIds().next(1_764_000_000_123L);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_764_000_000_123L);
    }
}
