package io.pollingevents.route;

import io.pollingevents.store.Database;
import io.pollingevents.store.PostgresPartitionLeases;
import io.pollingevents.support.Postgres;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on one PostgreSQL split the partitions, hand them over without a poll running twice, and take over. */
class PartitionLeasingTest {
    static final int ALL = PostgresPartitionLeases.PARTITIONS;
    Postgres pg;
    Database dbA;
    Database dbB;
    PartitionLeasing nodeA;
    PartitionLeasing nodeB;

    @BeforeEach
    void start() throws Exception {
        pg = Postgres.freshSchema();
        dbA = Database.open(pg.jdbcUrl(), Postgres.USER, "", 2);
        dbB = Database.open(pg.jdbcUrl(), Postgres.USER, "", 2);
        new PostgresPartitionLeases(dbA.dataSource()).createPartitions();
    }

    @AfterEach
    void stop() throws Exception {
        dbA.close();
        dbB.close();
        pg.close();
    }

    PartitionLeasing node(Database db, String id, long checkinMillis) {
        return new PartitionLeasing(new DefaultCamelContext(), new PostgresPartitionLeases(db.dataSource()), id, checkinMillis, () -> true);
    }

    @Test
    void twoNodesSplitThePartitionsAndEachResourceFiresOnExactlyOne() {
        nodeA = node(dbA, "a", 60_000);
        nodeB = node(dbB, "b", 60_000);
        nodeA.checkIn();
        assertThat(nodeA.owned()).hasSize(ALL); // alone, it polls everything from its first check-in
        nodeB.checkIn();
        assertThat(nodeB.owned()).isEmpty(); // all leased to A, none expired
        nodeA.checkIn(); // sees B: hands over the half above its share
        nodeB.checkIn();

        assertThat(nodeA.owned()).hasSize(ALL / 2);
        assertThat(nodeB.owned()).hasSize(ALL / 2).doesNotContainAnyElementsOf(nodeA.owned());
        // one instance's route ids differ in their last characters only; both nodes still get a part of them
        long ofInstanceOnA = IntStream.range(0, 20).mapToObj(r -> "instance-1-res" + r).filter(id -> nodeA.owned().contains(PartitionLeasing.partition(id))).count();
        assertThat(ofInstanceOnA).as("resources of instance 1 polled by node A, of 20").isBetween(5L, 15L);
        for (int i = 0; i < 1_000; i++) {
            String routeId = "instance-" + i + "-candidates";
            boolean onA = nodeA.tryEnter(routeId);
            boolean onB = nodeB.tryEnter(routeId);
            assertThat(onA ^ onB).as("%s fires on exactly one node", routeId).isTrue();
            (onA ? nodeA : nodeB).exit(routeId);
        }
    }

    @Test
    void aPartitionWithAPollRunningIsHandedOverOnlyAfterThePollEnds() {
        nodeA = node(dbA, "a", 60_000);
        nodeB = node(dbB, "b", 60_000);
        nodeA.checkIn();
        // a resource in the highest partition, the first A hands over
        String busy = IntStream.range(0, 100_000).mapToObj(i -> "instance-" + i + "-jobs")
                .filter(id -> PartitionLeasing.partition(id) == ALL - 1).findFirst().orElseThrow();
        assertThat(nodeA.tryEnter(busy)).isTrue();

        nodeB.checkIn();
        nodeA.checkIn();
        assertThat(nodeA.owned()).hasSize(ALL / 2).doesNotContain(ALL - 1);
        assertThat(nodeA.tryEnter(busy)).as("no new poll of a partition being handed over").isFalse();
        nodeB.checkIn();
        assertThat(nodeB.owned()).as("the busy partition is still A's").hasSize(ALL / 2 - 1).doesNotContain(ALL - 1);

        nodeA.exit(busy);
        nodeA.checkIn();
        nodeB.checkIn();
        assertThat(nodeB.owned()).hasSize(ALL / 2).contains(ALL - 1);
        assertThat(nodeB.tryEnter(busy)).isTrue();
    }

    @Test
    void aSilentNodeStopsFiringAndItsPartitionsAreTakenOverWhenItsLeasesRunOut() {
        nodeA = node(dbA, "a", 300); // leases of 600 ms; A fires for 450 ms after a check-in
        nodeB = node(dbB, "b", 300);
        nodeA.checkIn();
        nodeB.checkIn();
        nodeA.checkIn();
        nodeB.checkIn();
        Set<Integer> fromA = new HashSet<>(nodeA.owned());
        assertThat(fromA).hasSize(ALL / 2);
        String routeOfA = IntStream.range(0, 100_000).mapToObj(i -> "instance-" + i + "-jobs")
                .filter(id -> fromA.contains(PartitionLeasing.partition(id))).findFirst().orElseThrow();

        // A checks in no more (killed, or cut off from the database): it stops firing before B may take over
        await().atMost(Duration.ofSeconds(5)).until(() -> !nodeA.tryEnter(routeOfA));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            nodeB.checkIn();
            return nodeB.owned().size() == ALL;
        });
        assertThat(nodeB.tryEnter(routeOfA)).isTrue();
    }

    @Test
    void aNodeWhoseStoredRoutesAreNotStartedYetLeavesEveryPartitionToTheOthers() {
        AtomicBoolean routesOfBStarted = new AtomicBoolean();
        nodeA = node(dbA, "a", 60_000);
        nodeB = new PartitionLeasing(new DefaultCamelContext(), new PostgresPartitionLeases(dbB.dataSource()), "b", 60_000,
                routesOfBStarted::get);
        nodeA.checkIn();
        nodeB.checkIn();
        nodeA.checkIn();
        // B is still adding its routes: it does not count as live, so A keeps polling everything
        assertThat(nodeB.owned()).isEmpty();
        assertThat(nodeA.owned()).hasSize(ALL);

        routesOfBStarted.set(true);
        nodeB.checkIn();
        nodeA.checkIn();
        nodeB.checkIn();
        assertThat(nodeA.owned()).hasSize(ALL / 2);
        assertThat(nodeB.owned()).hasSize(ALL / 2);
    }

    @Test
    void aNodeThatLeavesHandsItsPartitionsOverAtOnce() {
        nodeA = node(dbA, "a", 60_000);
        nodeB = node(dbB, "b", 60_000);
        nodeA.checkIn();
        nodeB.checkIn();
        nodeA.checkIn();
        nodeB.checkIn();
        assertThat(nodeB.owned()).hasSize(ALL / 2);

        nodeA.leave();
        assertThat(nodeA.owned()).isEmpty();
        nodeB.checkIn(); // one node live: B takes the whole range without waiting a minute for A's leases
        assertThat(nodeB.owned()).hasSize(ALL);
    }

    @Test
    void aNodePausesTheTriggersOfPartitionsItDoesNotHoldAndResumesThemWhenItGetsThem() throws Exception {
        Map<String, AtomicInteger> fires = new ConcurrentHashMap<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            nodeA = new PartitionLeasing(context, new PostgresPartitionLeases(dbA.dataSource()), "a", 60_000, () -> true);
            nodeB = node(dbB, "b", 60_000);
            PartitionGate.install(context, nodeA);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int r = 0; r < 20; r++) {
                        String routeId = "instance-1-res" + r;
                        from("quartz:" + ResourceRoutes.QUARTZ_GROUP + "/" + routeId + "?trigger.repeatInterval=100&trigger.repeatCount=-1&stateful=true")
                                .routeId(routeId)
                                .process(e -> fires.computeIfAbsent(routeId, k -> new AtomicInteger()).incrementAndGet());
                    }
                }
            });
            nodeA.checkIn();
            context.start();
            Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
            await().atMost(Duration.ofSeconds(10)).until(() -> fires.size() == 20); // A alone fires all

            nodeB.checkIn();
            nodeA.checkIn(); // hands half over
            List<String> others = fires.keySet().stream().filter(id -> !nodeA.owns(id)).toList();
            assertThat(others).isNotEmpty().hasSizeLessThan(20);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(others).allSatisfy(id ->
                    assertThat(scheduler.getTriggerState(TriggerKey.triggerKey(id, ResourceRoutes.QUARTZ_GROUP)))
                            .as("trigger of %s, polled by node B", id).isEqualTo(Trigger.TriggerState.PAUSED)));
            Map<String, Integer> before = snapshot(fires);
            String own = fires.keySet().stream().filter(nodeA::owns).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> fires.get(own).get() > before.get(own) + 3);
            assertThat(others).allSatisfy(id -> assertThat(fires.get(id).get()).as("fires of %s", id).isEqualTo(before.get(id)));

            nodeB.leave();
            nodeA.checkIn(); // takes the whole range again and resumes those triggers
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(others).allSatisfy(id ->
                    assertThat(fires.get(id).get()).as("fires of %s", id).isGreaterThan(before.get(id))));
        }
    }

    static Map<String, Integer> snapshot(Map<String, AtomicInteger> fires) {
        Map<String, Integer> copy = new HashMap<>();
        fires.forEach((id, n) -> copy.put(id, n.get()));
        return copy;
    }
}
