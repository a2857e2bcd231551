package io.pollingevents.hub;

import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.store.ClusterLocks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps polls within what hubs allow: at most {@code maxConcurrentCalls} polls of one element call its hub at once
 * on this node; a vendor's request rate and its calls in flight are counted per credential, so every instance and
 * resource sharing an API key shares its budget, across the nodes of a cluster too; and a credential (or instance)
 * the hub rate-limited (429) is not polled again on this node before the time the hub asked for.
 */
public final class HubLimits {
    /** A vendor counts requests as they reach it; 50 ms to spare keeps network jitter from squeezing 11 into its second. */
    private static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1050);
    private final Map<String, Semaphore> callsByElement = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Long>> recentRequests = new ConcurrentHashMap<>();
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long acquireTimeoutMillis;
    private final ClusterLocks cluster;

    public HubLimits(Clock clock, long acquireTimeoutMillis) {
        this(clock, acquireTimeoutMillis, ClusterLocks.SINGLE_NODE);
    }

    /**
     * @param cluster how nodes of a cluster share vendor limits: in-flight places as cluster locks, the request rate
     *                split between the live nodes
     */
    public HubLimits(Clock clock, long acquireTimeoutMillis, ClusterLocks cluster) {
        this.clock = clock;
        this.acquireTimeoutMillis = acquireTimeoutMillis;
        this.cluster = cluster;
    }

    /** Takes a call slot of the element, waiting a while; throws when the element stays saturated. */
    public void acquire(ElementDescriptor element) throws InterruptedException {
        Semaphore slots = callsByElement.computeIfAbsent(element.key(), k -> new Semaphore(element.maxConcurrentCalls()));
        if (!slots.tryAcquire(acquireTimeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new HubCallException("more than " + element.maxConcurrentCalls() + " polls of element '" + element.key()
                    + "' are calling its hub at once (maxConcurrentCalls in elements/" + element.key()
                    + ".yaml); this poll is retried at the next interval");
        }
    }

    public void release(ElementDescriptor element) {
        Semaphore slots = callsByElement.get(element.key());
        if (slots != null) {
            slots.release();
        }
    }

    /**
     * Takes one of the {@code max} in-flight places of a kind of call ({@code GET /candidates}) under a credential,
     * waiting a while; throws when they stay taken.
     */
    AutoCloseable acquireInFlight(String credential, String call, int max) throws InterruptedException {
        String name = credential + " " + call;
        Semaphore places = inFlight.computeIfAbsent(name, k -> new Semaphore(max));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(acquireTimeoutMillis);
        if (!places.tryAcquire(acquireTimeoutMillis, TimeUnit.MILLISECONDS)) {
            throw inFlightTaken(call, max);
        }
        // the other nodes of a cluster count too: one of max cluster-wide places, each a cluster lock
        while (true) {
            for (int place = 0; place < max; place++) {
                Optional<AutoCloseable> lock = cluster.tryLock("vendor place " + name + " #" + place);
                if (lock.isPresent()) {
                    AutoCloseable clusterPlace = lock.get();
                    return () -> {
                        try {
                            clusterPlace.close();
                        } finally {
                            places.release();
                        }
                    };
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                places.release();
                throw inFlightTaken(call, max);
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private static HubCallException inFlightTaken(String call, int max) {
        return new HubCallException("the vendor allows " + max + " " + call + " in flight per credential and other polls with the "
                + "same credential hold " + (max == 1 ? "it" : "them") + "; this poll is retried at the next interval");
    }

    /**
     * Waits until one more request under the credential stays within {@code perSecond} requests in any one-second
     * window, then counts it. A sliding window rather than a per-second bucket: a bucket refilled at each second's
     * start lets twice the limit through across a boundary, which is what vendors answer with 429.
     */
    void awaitRequestSlot(String credential, int vendorPerSecond) throws InterruptedException {
        // each live node of a cluster gets an equal share of the vendor's rate
        int perSecond = Math.max(1, vendorPerSecond / cluster.liveNodes());
        ArrayDeque<Long> window = recentRequests.computeIfAbsent(credential, k -> new ArrayDeque<>());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(acquireTimeoutMillis, 1000));
        synchronized (window) {
            while (true) {
                long now = System.nanoTime();
                while (!window.isEmpty() && now - window.peekFirst() >= RATE_WINDOW_NANOS) {
                    window.pollFirst();
                }
                if (window.size() < perSecond) {
                    window.addLast(now);
                    return;
                }
                long waitNanos = window.peekFirst() + RATE_WINDOW_NANOS - now;
                if (now + waitNanos > deadline) {
                    throw new HubCallException("the vendor allows " + perSecond + " requests per second per credential and other polls "
                            + "with the same credential use them all; this poll is retried at the next interval");
                }
                TimeUnit.NANOSECONDS.timedWait(window, waitNanos);
            }
        }
    }

    /** The hub asked polls under this key (a credential, or one instance) to wait {@code retryAfterMillis}. */
    public void rateLimited(String key, long retryAfterMillis) {
        pausedUntil.merge(key, clock.instant().plusMillis(retryAfterMillis), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The time before which polls under this key must not call the hub, if the hub asked for one. */
    public Optional<Instant> rateLimitedUntil(String key) {
        Instant until = pausedUntil.get(key);
        if (until != null && !until.isAfter(clock.instant())) {
            pausedUntil.remove(key, until);
            return Optional.empty();
        }
        return Optional.ofNullable(until);
    }
}
