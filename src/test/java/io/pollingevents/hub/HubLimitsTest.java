package io.pollingevents.hub;

import io.pollingevents.store.ClusterLocks;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubLimitsTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void inFlightPlacesAreCountedPerCredentialAndCall() throws Exception {
        HubLimits limits = new HubLimits(Clock.fixed(NOW, ZoneOffset.UTC), 0);
        AutoCloseable place = limits.acquireInFlight("sr key-a", "GET /candidates", 1);

        assertThatThrownBy(() -> limits.acquireInFlight("sr key-a", "GET /candidates", 1))
                .isInstanceOf(HubCallException.class).hasMessageContaining("allows 1 GET /candidates in flight per credential");
        limits.acquireInFlight("sr key-b", "GET /candidates", 1);
        limits.acquireInFlight("sr key-a", "GET /jobs", 1);

        place.close();
        limits.acquireInFlight("sr key-a", "GET /candidates", 1);
    }

    @Test
    void aClusterPlaceHeldByAnotherNodeIsWaitedForThenRefusedAndTheLocalPlaceGoesBack() throws Exception {
        java.util.Set<String> heldElsewhere = java.util.concurrent.ConcurrentHashMap.newKeySet();
        heldElsewhere.add("vendor place sr key-a GET /candidates #0");
        ClusterLocks cluster = new ClusterLocks() {
            @Override
            public java.util.Optional<AutoCloseable> tryLock(String name) {
                return heldElsewhere.contains(name) ? java.util.Optional.empty() : java.util.Optional.of(() -> heldElsewhere.remove(name));
            }

            @Override
            public int liveNodes() {
                return 2;
            }
        };
        HubLimits limits = new HubLimits(Clock.fixed(NOW, ZoneOffset.UTC), 150, cluster);

        assertThatThrownBy(() -> limits.acquireInFlight("sr key-a", "GET /candidates", 1)).isInstanceOf(HubCallException.class);
        heldElsewhere.clear();
        AutoCloseable place = limits.acquireInFlight("sr key-a", "GET /candidates", 1);
        assertThat(heldElsewhere).isEmpty();
        place.close();
        limits.acquireInFlight("sr key-a", "GET /candidates", 1).close();
    }

    @Test
    void aRequestBeyondTheRateWaitsForTheWindow() throws Exception {
        HubLimits limits = new HubLimits(Clock.fixed(NOW, ZoneOffset.UTC), 5_000);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            limits.awaitRequestSlot("key-a", 3);
        }
        limits.awaitRequestSlot("key-b", 3);
        limits.awaitRequestSlot("key-a", 3);

        // the fourth request of key-a had to wait until the first left the one-second window
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void aPauseAppliesToItsKeyUntilItEnds() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        HubLimits limits = new HubLimits(clock, 0);
        limits.rateLimited("sr credential 1", 2_000);

        assertThat(limits.rateLimitedUntil("sr credential 1")).contains(NOW.plusSeconds(2));
        assertThat(limits.rateLimitedUntil("instance 7")).isEmpty();
        now[0] = NOW.plusSeconds(2);
        assertThat(limits.rateLimitedUntil("sr credential 1")).isEmpty();
    }
}
