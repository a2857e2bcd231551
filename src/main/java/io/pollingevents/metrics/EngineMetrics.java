package io.pollingevents.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.pollingevents.store.DeliveryCounts;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's Micrometer meters, tagged by instance and resource: polls, hub errors, events found,
 * emitted, delivered, retried and dead, and outbox gauges (pending, dead, oldest pending age).
 */
public final class EngineMetrics {
    private final MeterRegistry registry;
    private final MultiGauge pending;
    private final MultiGauge dead;
    private final MultiGauge oldestPendingAge;
    private final MultiGauge oauthFailed;

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.pending = MultiGauge.builder("polling.outbox.pending").description("Notifications waiting for delivery").register(registry);
        this.dead = MultiGauge.builder("polling.outbox.dead").description("Notifications that became dead letters").register(registry);
        this.oldestPendingAge = MultiGauge.builder("polling.outbox.oldest.pending.age").baseUnit("seconds")
                .description("Age of the oldest notification waiting for delivery").register(registry);
        this.oauthFailed = MultiGauge.builder("polling.oauth.refresh.failed")
                .description("1 for each instance whose last OAuth2 token refresh failed").register(registry);
    }

    public void poll(long instanceId, String resource, boolean ok) {
        counter("polling.polls", "Polls of a resource", instanceId, resource, "outcome", ok ? "ok" : "failed").increment();
    }

    public void hubError(long instanceId, String resource) {
        counter("polling.hub.errors", "Hub calls that failed or answered an error", instanceId, resource).increment();
    }

    /** A poll whose last page was full yet named no next page: records may have been left unread. */
    public void pollTruncated(long instanceId, String resource) {
        counter("polling.polls.truncated", "Polls whose last page was full with no next page (records may be unread)",
                instanceId, resource).increment();
    }

    public void eventsFound(long instanceId, String resource, int count) {
        counter("polling.events.found", "Changed records found by polls", instanceId, resource).increment(count);
    }

    public void eventsEmitted(long instanceId, String resource, int count) {
        counter("polling.events.emitted", "Events stored in the outbox", instanceId, resource).increment(count);
    }

    public void eventsDelivered(long instanceId, String resource, int count) {
        counter("polling.events.delivered", "Events delivered to the callback", instanceId, resource).increment(count);
    }

    public void deliveryRetried(long instanceId, String resource) {
        counter("polling.deliveries.retried", "Failed delivery attempts that will be retried", instanceId, resource).increment();
    }

    public void eventsDead(long instanceId, String resource, int count) {
        counter("polling.events.dead", "Events that became dead letters", instanceId, resource).increment(count);
    }

    public void oauthRefresh(long instanceId, boolean ok) {
        Counter.builder("polling.oauth.refreshes").description("OAuth2 token refreshes")
                .tags("instance", Long.toString(instanceId), "outcome", ok ? "ok" : "failed").register(registry).increment();
    }

    /** Replaces the gauge of instances whose last OAuth2 refresh failed (1 each). */
    public void oauthRefreshFailed(List<Long> instanceIds) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Long id : instanceIds) {
            rows.add(MultiGauge.Row.of(Tags.of("instance", Long.toString(id)), 1));
        }
        oauthFailed.register(rows, true);
    }

    /** Replaces the outbox gauges with the current counts. */
    public void outbox(List<DeliveryCounts> counts, long now) {
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> deadRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (DeliveryCounts c : counts) {
            Tags tags = Tags.of("instance", Long.toString(c.instanceId()), "resource", c.resource());
            pendingRows.add(MultiGauge.Row.of(tags, c.pending()));
            deadRows.add(MultiGauge.Row.of(tags, c.dead()));
            ageRows.add(MultiGauge.Row.of(tags, c.oldestPendingCreatedAt() == null ? 0 : (now - c.oldestPendingCreatedAt()) / 1000.0));
        }
        pending.register(pendingRows, true);
        dead.register(deadRows, true);
        oldestPendingAge.register(ageRows, true);
    }

    private Counter counter(String name, String description, long instanceId, String resource, String... extraTags) {
        return Counter.builder(name).description(description)
                .tags("instance", Long.toString(instanceId), "resource", resource).tags(extraTags)
                .register(registry);
    }
}
