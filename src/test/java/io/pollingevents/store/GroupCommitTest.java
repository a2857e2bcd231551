package io.pollingevents.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCommitTest {
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @Test
    void itemsAddedOneAfterAnotherAreWrittenOneByOneInOrder() {
        GroupCommit<Integer> commits = new GroupCommit<>(batches::add);

        commits.add(1);
        commits.add(2);

        assertThat(batches).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void anItemAddedWhileTheWriterLingersJoinsItsBatch() throws Exception {
        GroupCommit<Integer> commits = new GroupCommit<>(batches::add, Duration.ofMillis(500));

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> commits.add(1));
        // whichever add takes the write, it waits half a second first: the other item is waiting by then
        commits.add(2);
        first.get(10, TimeUnit.SECONDS);

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyInAnyOrder(1, 2);
    }
}
