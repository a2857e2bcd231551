package io.pollingevents.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Poll results written with group commit: from many polling threads at once, each resource shows its last poll. */
class JdbcWatermarkStoreTest {
    private final Database database = Database.open("jdbc:h2:mem:watermarks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void concurrentPollResultsAreAllWrittenAndEachResourceKeepsItsLast() throws Exception {
        List<String> resources = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            resources.add("res" + r);
        }
        StoredInstance instance = new JdbcInstanceStore(database.dataSource()).insert("token", "smartrecruiters", "one", "{}", 0, resources);
        JdbcWatermarkStore watermarks = new JdbcWatermarkStore(database.dataSource());
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String resource : resources) { // one thread per resource, as Quartz never runs two polls of one resource
                done.add(pollers.submit(() -> {
                    for (int poll = 1; poll <= 50; poll++) {
                        watermarks.recordPoll(instance.id(), resource, Instant.ofEpochMilli(poll), "ok: poll " + poll);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pollers.shutdown();
        }

        // every call has returned; a result queued behind another thread's write is written by that thread before it returns
        assertThat(watermarks.states(instance.id())).hasSize(8).allSatisfy(state -> {
            assertThat(state.lastPollMs()).isEqualTo(50L);
            assertThat(state.lastResult()).isEqualTo("ok: poll 50");
        });
    }
}
