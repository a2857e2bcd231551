package io.pollingevents.poll;

import io.pollingevents.store.Watermark;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.pollingevents.poll.PollFixtures.ELEMENT;
import static io.pollingevents.poll.PollFixtures.WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;

class PollContextTest {

    @Test
    void newPollHasFoundNothingAndWouldLeaveTheWatermarkWhereItStarted() {
        Watermark start = new Watermark(WATERMARK, Set.of("c1"));
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), start, PollFixtures.limits());

        assertThat(poll.startWatermark()).isEqualTo(start);
        assertThat(poll.candidateWatermark()).isEqualTo(start);
        assertThat(poll.pending()).isEmpty();
        assertThat(poll.records()).hasValue(0);
        assertThat(poll.invalidRecords()).hasValue(0);
        assertThat(poll.eventsStored()).hasValue(0);
        assertThat(poll.element()).isSameAs(ELEMENT);
        assertThat(poll.hub().instance()).isSameAs(poll.instance());
    }

    @Test
    void candidateWatermarkMovesWithoutTouchingTheStart() {
        Watermark start = new Watermark(WATERMARK, Set.of());
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly(), start, PollFixtures.limits());
        Watermark later = new Watermark(WATERMARK.plusSeconds(1), Set.of("a"));

        poll.candidateWatermark(later);

        assertThat(poll.candidateWatermark()).isEqualTo(later);
        assertThat(poll.startWatermark()).isEqualTo(start);
    }

    @Test
    void labelNamesInstanceAndResourceForTheLog() {
        PollContext poll = PollFixtures.poll(PollFixtures.updatedOnly());

        assertThat(poll.label()).isEqualTo("instance 7 (inst) resource 'candidates'");
    }
}
