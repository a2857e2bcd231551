package io.pollingevents.poll;

import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.EventType;

import io.pollingevents.store.Watermark;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkAdvanceTest {
    private static final Instant T0 = Instant.parse("2024-11-27T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);

    private static DetectedChange change(String id, Instant date) {
        return new DetectedChange(id, date, EventType.UPDATED, null);
    }

    @Test
    void movesToNewestDateAndKeepsOnlyIdsAtThatDate() {
        Watermark next = WatermarkAdvance.advance(new Watermark(T0, Set.of("old")),
                List.of(change("a", T1), change("b", T2), change("c", T2), change("d", T1)));

        assertThat(next.at()).isEqualTo(T2);
        assertThat(next.idsAtWatermark()).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void unionsIdsWhenNewestDateEqualsCurrentWatermark() {
        Watermark next = WatermarkAdvance.advance(new Watermark(T1, Set.of("a")),
                List.of(change("b", T1), change("c", T1)));

        assertThat(next).isEqualTo(new Watermark(T1, Set.of("a", "b", "c")));
    }

    @Test
    void neverMovesBackwards() {
        Watermark current = new Watermark(T2, Set.of("x"));

        Watermark next = WatermarkAdvance.advance(current, List.of(change("a", T0), change("b", T1)));

        assertThat(next).isEqualTo(current);
    }

    @Test
    void emptyBatchLeavesWatermarkUnchanged() {
        Watermark current = new Watermark(T1, Set.of("x"));

        assertThat(WatermarkAdvance.advance(current, List.of())).isEqualTo(current);
    }
}
