package io.pollingevents.delivery;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.event.StandardWebhooksSigner;
import io.pollingevents.event.WebhookSigner;
import io.pollingevents.format.RetryAfter;
import io.pollingevents.format.Texts;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The Camel-facing steps of one delivery attempt of an outbox notification: {@link #prepare} sets the
 * body, callback URL and signature headers; {@link #completed} and {@link #failed} record the outcome and
 * schedule the next attempt (Retry-After wins over the schedule) or make it a dead letter. Successful attempts are
 * written in groups ({@link DeliveredOutcomes}). An attempt gives back its slot when its callback call ends, before its
 * outcome is written ({@link AttemptEvents}).
 */
public final class DeliveryAttempt {
    public static final String PROPERTY = "pollingNotification";
    private static final String ENDED = "pollingCallEnded";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempt.class);

    private final InstanceCatalog catalog;
    private final OutboxStore outbox;
    private final RetrySchedule schedule;
    private final EngineMetrics metrics;
    private final Clock clock;
    private final AttemptEvents events;
    private final String owner;
    private final DeliveredOutcomes delivered;
    private final LongFunction<Optional<InstanceDefinition>> notLoaded;

    public DeliveryAttempt(InstanceCatalog catalog, OutboxStore outbox, RetrySchedule schedule, EngineMetrics metrics,
                           Clock clock, String owner, AttemptEvents events) {
        this(catalog, outbox, schedule, metrics, clock, owner, events, id -> Optional.empty());
    }

    /**
     * @param notLoaded reads an instance that is not in the catalog from the store: in a cluster, one created through
     *                  another node that this node's reconciler has not loaded yet, whose notification would otherwise
     *                  fail an attempt and wait for the next retry. It must not wait on the reconciler, which may be
     *                  adding routes for seconds while this attempt's claim runs out.
     */
    public DeliveryAttempt(InstanceCatalog catalog, OutboxStore outbox, RetrySchedule schedule, EngineMetrics metrics,
                           Clock clock, String owner, AttemptEvents events, LongFunction<Optional<InstanceDefinition>> notLoaded) {
        this.notLoaded = notLoaded;
        this.owner = owner;
        this.delivered = new DeliveredOutcomes(outbox, metrics, owner, events::outcomeWritten);
        this.catalog = catalog;
        this.outbox = outbox;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
        this.events = events;
    }

    public void prepare(Exchange exchange) {
        OutboxNotification notification = exchange.getIn().getBody(OutboxNotification.class);
        exchange.setProperty(PROPERTY, notification);
        InstanceDefinition instance = catalog.find(notification.instanceId()).or(() -> notLoaded.apply(notification.instanceId())).orElseThrow(() -> new IllegalStateException("instance " + notification.instanceId() + " was deleted or is invalid"));
        if (instance.callbackUrl() == null) {
            throw new IllegalStateException("instance " + instance.id() + " has no event.notification.callback.url; set one with PATCH");
        }
        byte[] body = notification.body().getBytes(StandardCharsets.UTF_8);
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setBody(body);
        // the enum itself: a method given by name is converted by a type-converter lookup on every request (33 of the
        // 185 samples of the delivery threads outside the outcome commit, JFR)
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        in.setHeader(Exchange.HTTP_URI, instance.callbackUrl());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        // the notification id: the same on every attempt, so receivers can drop a redelivered notification
        in.setHeader(WebhookSigner.ID_HEADER, notification.id());
        String key = instance.signatureKey();
        if (key != null && !key.isEmpty()) {
            in.setHeader(WebhookSigner.HEADER, WebhookSigner.signature(key, body));
            if (StandardWebhooksSigner.SCHEME.equals(instance.config(ConfigKeys.SIGNATURE_SCHEME))) {
                long timestamp = clock.millis() / 1000;
                in.setHeader(StandardWebhooksSigner.ID, notification.id());
                in.setHeader(StandardWebhooksSigner.TIMESTAMP, Long.toString(timestamp));
                in.setHeader(StandardWebhooksSigner.SIGNATURE, StandardWebhooksSigner.signature(key, notification.id(), timestamp, body));
            }
        }
    }

    /** After the HTTP call: 2xx is delivered, anything else a failed attempt. */
    public void completed(Exchange exchange) {
        OutboxNotification n = notification(exchange);
        callEnded(exchange, n);
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 == 2) {
            // written with other delivered outcomes, perhaps by another delivery's thread (group commit)
            delivered.record(n, clock.millis(), status);
            return;
        }
        String body = exchange.getIn().getBody(String.class);
        Long retryAfter = (status == 429 || status == 503)
                ? RetryAfter.millis(exchange.getIn().getHeader("Retry-After", String.class), clock) : null;
        record(n, status, "callback answered " + status + (body == null || body.isBlank() ? "" : ": " + Texts.abbreviate(body)), retryAfter);
    }

    /** After an exception (connection refused, timeout), or a failure before the call (deleted instance). */
    public void failed(Exchange exchange) {
        OutboxNotification n = notification(exchange);
        callEnded(exchange, n);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        record(n, null, root == null ? "unknown error" : root.getClass().getSimpleName() + ": " + root.getMessage(), null);
    }

    private void record(OutboxNotification n, Integer status, String error, Long retryAfterMillis) {
        try {
            int attemptsMade = n.attempts() + 1;
            long delay = schedule.nextDelayMillis(attemptsMade);
            long now = clock.millis();
            if (delay < 0) {
                outbox.markFailed(n.id(), owner, now, status, error, null);
                metrics.eventsDead(n.instanceId(), n.resource(), n.eventCount());
                LOG.warn("Notification {} of instance {} resource '{}' is a dead letter after {} attempts: {}. "
                        + "Replay it with POST /elements/api-v2/instances/{}/events/retry?status=dead",
                        n.id(), n.instanceId(), n.resource(), attemptsMade, error, n.instanceId());
            } else {
                if (retryAfterMillis != null) {
                    delay = Math.max(delay, retryAfterMillis);
                }
                outbox.markFailed(n.id(), owner, now, status, error, now + delay);
                metrics.deliveryRetried(n.instanceId(), n.resource());
                LOG.info("Delivery of notification {} of instance {} failed (attempt {} of {}): {}; next attempt in {} ms",
                        n.id(), n.instanceId(), attemptsMade, schedule.maxAttempts(), error, delay);
            }
        } finally {
            events.outcomeWritten(n);
        }
    }

    // the route's doCatch may run after completed() failed half-way: end each attempt's call once
    private void callEnded(Exchange exchange, OutboxNotification n) {
        if (exchange.getProperty(ENDED) == null) {
            exchange.setProperty(ENDED, Boolean.TRUE);
            outbox.callEnded(n.id(), owner);
            events.callEnded(n);
        }
    }

    private static OutboxNotification notification(Exchange exchange) {
        return exchange.getProperty(PROPERTY, OutboxNotification.class);
    }
}
