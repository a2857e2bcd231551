package io.pollingevents.hub;

import io.pollingevents.element.ElementDescriptor;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Protects hubs: at most {@code maxConcurrentCalls} polls of one element call its hub at once, and an
 * instance the hub rate-limited (429) is not polled again before the time the hub asked for.
 */
public final class HubLimits {
    private final Map<String, Semaphore> callsByElement = new ConcurrentHashMap<>();
    private final Map<Long, Instant> rateLimitedUntil = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long acquireTimeoutMillis;

    public HubLimits(Clock clock, long acquireTimeoutMillis) {
        this.clock = clock;
        this.acquireTimeoutMillis = acquireTimeoutMillis;
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

    public void rateLimited(long instanceId, long retryAfterMillis) {
        rateLimitedUntil.put(instanceId, clock.instant().plusMillis(retryAfterMillis));
    }

    /** The time before which the instance must not call its hub, if the hub asked for one. */
    public Optional<Instant> rateLimitedUntil(long instanceId) {
        Instant until = rateLimitedUntil.get(instanceId);
        if (until != null && !until.isAfter(clock.instant())) {
            rateLimitedUntil.remove(instanceId, until);
            return Optional.empty();
        }
        return Optional.ofNullable(until);
    }
}
