package io.pollingevents.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OutboxNotification;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryAttemptTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String OWNER = "node-a";
    private static final String BODY = "{\"events\":[{\"id\":\"é-1\"}]}";
    private static final String KEY = "asdfo08e$fd";
    private static CamelContext camel;

    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeOutboxStore outbox = new FakeOutboxStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InstanceCatalog catalog = new InstanceCatalog();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    /** The attempts whose callback call ended, and those whose outcome was then written, in order. */
    private final List<OutboxNotification> callsEnded = new ArrayList<>();
    private final List<OutboxNotification> written = new ArrayList<>();
    private final AttemptEvents events = new AttemptEvents() {
        @Override
        public void callEnded(OutboxNotification notification) {
            assertThat(written).as("a call ends before its outcome is written (attempts here run one after another)")
                    .hasSameSizeAs(callsEnded);
            assertThat(outbox.callsEnded).as("the store counts the call as ended before a claim the dispatcher makes")
                    .contains(notification.id());
            callsEnded.add(notification);
        }

        @Override
        public void outcomeWritten(OutboxNotification notification) {
            written.add(notification);
        }
    };
    private final DeliveryAttempt attempt = attempt(new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(1)), 0));

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void closeCamel() {
        camel.stop();
    }

    private DeliveryAttempt attempt(RetrySchedule schedule) {
        return new DeliveryAttempt(catalog, outbox, schedule, new EngineMetrics(registry), clock, OWNER, events);
    }

    private InstanceDefinition instance(long id, Map<String, Object> config) throws Exception {
        ObjectNode body = (ObjectNode) mapper.readTree(Files.readString(Path.of("examples", "smartrecruiters.json")));
        ObjectNode configuration = (ObjectNode) body.get("configuration");
        config.forEach((k, v) -> {
            if (v == null) {
                configuration.remove(k);
            } else {
                configuration.set(k, mapper.valueToTree(v));
            }
        });
        InstanceDefinition def = new InstanceParser(mapper, ElementRegistry.load(null)).parse(body)
                .withIdentity(id, "token", Instant.ofEpochMilli(1));
        catalog.put(def, 1);
        return def;
    }

    private static OutboxNotification notification(long instanceId, int attempts) {
        return new OutboxNotification("n-" + instanceId + "-" + attempts, instanceId, "candidates", BODY, attempts, 1_000L, 3, List.of());
    }

    private static Exchange exchange(OutboxNotification notification) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(notification);
        return exchange;
    }

    /** An exchange as the route has it after the HTTP call: prepared, then the callback's answer. */
    private Exchange answered(OutboxNotification notification, int status, String responseBody) {
        Exchange exchange = exchange(notification);
        attempt.prepare(exchange);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getIn().setBody(responseBody);
        return exchange;
    }

    private static String hmacBase64(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    @Test
    void anInstanceThisNodeHasNotLoadedYetIsReadFromTheStoreNotCountedAsAFailure() throws Exception {
        // created through another node of a cluster: in the store, not yet in this node's catalog
        InstanceDefinition other = instance(7, Map.of("event.notification.callback.url", "http://127.0.0.1:9/cb"));
        catalog.remove(7);
        DeliveryAttempt attempt = new DeliveryAttempt(catalog, outbox, new RetrySchedule(List.of(Duration.ofSeconds(5)), 0),
                new EngineMetrics(registry), clock, OWNER, events, id -> id == 7 ? Optional.of(other) : Optional.empty());
        Exchange exchange = exchange(notification(7, 0));

        attempt.prepare(exchange);

        assertThat(exchange.getIn().getHeader(Exchange.HTTP_URI)).isEqualTo("http://127.0.0.1:9/cb");
    }

    private double count(String meter) {
        Counter counter = registry.find(meter).tags("instance", "7", "resource", "candidates").counter();
        return counter == null ? 0 : counter.count();
    }

    // ---- prepare

    @Test
    void prepareSetsBodyCallbackAndElementsSignature() throws Exception {
        instance(7, Map.of());
        OutboxNotification n = notification(7, 0);
        Exchange exchange = exchange(n);
        exchange.getIn().setHeader("X-From-Dispatch", "stale");
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "a=b");

        attempt.prepare(exchange);

        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(exchange.getIn().getBody(byte[].class)).isEqualTo(body);
        assertThat(exchange.getProperty(DeliveryAttempt.PROPERTY)).isSameAs(n);
        assertThat(exchange.getIn().getHeaders()).containsOnly(
                Map.entry(Exchange.HTTP_METHOD, HttpMethods.POST),
                Map.entry(Exchange.HTTP_URI, "http://127.0.0.1:9000/events"),
                Map.entry(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8"),
                Map.entry("Elements-Webhook-Id", n.id()),
                Map.entry("Elements-Webhook-Signature", "sha256=" + hmacBase64(KEY.getBytes(StandardCharsets.UTF_8), body)));
    }

    @Test
    void prepareAddsStandardWebhooksHeadersWhenThatSchemeIsChosen() throws Exception {
        byte[] secret = new byte[24];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 7 + 1);
        }
        String key = "whsec_" + Base64.getEncoder().encodeToString(secret);
        instance(7, Map.of(ConfigKeys.SIGNATURE_SCHEME, "standard-webhooks", ConfigKeys.SIGNATURE_KEY, key));
        OutboxNotification n = notification(7, 2);
        Exchange exchange = exchange(n);

        attempt.prepare(exchange);

        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getIn().getHeaders();
        assertThat(headers).containsEntry("webhook-id", n.id())
                .containsEntry("webhook-timestamp", "1700000000")
                .containsEntry("webhook-signature", "v1," + hmacBase64(secret,
                        (n.id() + ".1700000000.").getBytes(StandardCharsets.UTF_8), body))
                .containsEntry("Elements-Webhook-Signature", "sha256=" + hmacBase64(key.getBytes(StandardCharsets.UTF_8), body))
                .containsEntry("Elements-Webhook-Id", n.id());
    }

    @Test
    void prepareWithoutKeySendsNoSignature() throws Exception {
        Map<String, Object> noKey = new java.util.HashMap<>();
        noKey.put(ConfigKeys.SIGNATURE_KEY, null);
        instance(7, noKey);
        Exchange exchange = exchange(notification(7, 0));

        attempt.prepare(exchange);

        assertThat(exchange.getIn().getHeaders()).containsKeys("Elements-Webhook-Id", Exchange.HTTP_URI)
                .doesNotContainKeys("Elements-Webhook-Signature", "webhook-signature", "webhook-id");

        noKey.put(ConfigKeys.SIGNATURE_KEY, "");
        instance(7, noKey);
        Exchange empty = exchange(notification(7, 0));
        attempt.prepare(empty);
        assertThat(empty.getIn().getHeaders()).doesNotContainKey("Elements-Webhook-Signature");
    }

    @Test
    void elementsSchemeSendsNoStandardWebhooksHeaders() throws Exception {
        instance(7, Map.of(ConfigKeys.SIGNATURE_SCHEME, "elements"));
        Exchange exchange = exchange(notification(7, 0));

        attempt.prepare(exchange);

        assertThat(exchange.getIn().getHeaders()).containsKey("Elements-Webhook-Signature")
                .doesNotContainKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    }

    @Test
    void prepareFailsForADeletedInstanceButKeepsTheNotificationForFailed() {
        OutboxNotification n = notification(99, 0);
        Exchange exchange = exchange(n);

        assertThatThrownBy(() -> attempt.prepare(exchange))
                .isInstanceOf(IllegalStateException.class).hasMessage("instance 99 was deleted or is invalid");
        assertThat(exchange.getProperty(DeliveryAttempt.PROPERTY)).isSameAs(n);
    }

    @Test
    void prepareFailsWithoutCallbackUrl() throws Exception {
        Map<String, Object> disabled = new java.util.HashMap<>();
        disabled.put(ConfigKeys.ENABLED, false);
        disabled.put(ConfigKeys.CALLBACK_URL, null);
        instance(7, disabled);

        assertThatThrownBy(() -> attempt.prepare(exchange(notification(7, 0))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("instance 7 has no event.notification.callback.url; set one with PATCH");
    }

    // ---- completed

    @Test
    void twoHundredsAreDelivered() throws Exception {
        instance(7, Map.of());
        int attemptNo = 0;
        for (int status : new int[] {200, 204, 299}) {
            OutboxNotification n = notification(7, attemptNo++);
            attempt.completed(answered(n, status, ""));
            assertThat(outbox.delivered).last().isEqualTo(new FakeOutboxStore.Delivered(n.id(), OWNER, NOW, status));
        }
        assertThat(outbox.failed).isEmpty();
        assertThat(callsEnded).hasSize(3);
        assertThat(written).hasSize(3);
        assertThat(count("polling.events.delivered")).isEqualTo(9.0);
        assertThat(count("polling.deliveries.retried")).isZero();
    }

    @Test
    void otherStatusesAreFailedAttempts() throws Exception {
        instance(7, Map.of());
        for (int status : new int[] {199, 300, 404}) {
            attempt.completed(answered(notification(7, 0), status, null));
        }
        assertThat(outbox.delivered).isEmpty();
        assertThat(outbox.failed).extracting(FakeOutboxStore.Failed::httpStatus).containsExactly(199, 300, 404);
    }

    @Test
    void serverErrorSchedulesTheNextAttempt() throws Exception {
        instance(7, Map.of());
        OutboxNotification n = notification(7, 0);

        attempt.completed(answered(n, 500, "boom"));

        assertThat(outbox.failed).containsExactly(
                new FakeOutboxStore.Failed(n.id(), OWNER, NOW, 500, "callback answered 500: boom", NOW + 5_000));
        assertThat(outbox.delivered).isEmpty();
        assertThat(callsEnded).containsExactly(n);
        assertThat(written).containsExactly(n);
        assertThat(count("polling.deliveries.retried")).isEqualTo(1.0);
        assertThat(count("polling.events.delivered")).isZero();
        assertThat(count("polling.events.dead")).isZero();
    }

    @Test
    void laterAttemptsFollowTheSchedule() throws Exception {
        instance(7, Map.of());
        OutboxNotification second = notification(7, 1);

        attempt.completed(answered(second, 502, " "));

        assertThat(outbox.failed).containsExactly(
                new FakeOutboxStore.Failed(second.id(), OWNER, NOW, 502, "callback answered 502", NOW + 60_000));
    }

    @Test
    void longResponseBodiesAreAbbreviated() throws Exception {
        instance(7, Map.of());

        attempt.completed(answered(notification(7, 0), 500, "x".repeat(400)));

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::error)
                .isEqualTo("callback answered 500: " + "x".repeat(300) + "...");
    }

    @Test
    void lastAttemptMakesADeadLetter() throws Exception {
        instance(7, Map.of());
        OutboxNotification last = notification(7, 2);

        attempt.completed(answered(last, 500, "still down"));

        assertThat(outbox.failed).containsExactly(
                new FakeOutboxStore.Failed(last.id(), OWNER, NOW, 500, "callback answered 500: still down", null));
        assertThat(callsEnded).containsExactly(last);
        assertThat(written).containsExactly(last);
        assertThat(count("polling.events.dead")).isEqualTo(3.0);
        assertThat(count("polling.deliveries.retried")).isZero();
    }

    @Test
    void zeroDelayIsARetryNotADeadLetter() throws Exception {
        instance(7, Map.of());
        DeliveryAttempt immediate = attempt(new RetrySchedule(List.of(Duration.ZERO), 0));
        Exchange exchange = exchange(notification(7, 0));
        immediate.prepare(exchange);
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 500);

        immediate.completed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::nextAttemptAt).isEqualTo(NOW);
    }

    @Test
    void retryAfterOn429And503LengthensTheDelay() throws Exception {
        instance(7, Map.of());
        for (int status : new int[] {429, 503}) {
            Exchange exchange = answered(notification(7, 0), status, "slow down");
            exchange.getIn().setHeader("Retry-After", "120");
            attempt.completed(exchange);
        }

        assertThat(outbox.failed).extracting(FakeOutboxStore.Failed::nextAttemptAt).containsExactly(NOW + 120_000, NOW + 120_000);
    }

    @Test
    void retryAfterAsHttpDate() throws Exception {
        instance(7, Map.of());
        Exchange exchange = answered(notification(7, 0), 503, "");
        exchange.getIn().setHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(Instant.ofEpochMilli(NOW + 600_000), ZoneOffset.UTC)));

        attempt.completed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::nextAttemptAt).isEqualTo(NOW + 600_000);
    }

    @Test
    void retryAfterNeverShortensTheSchedule() throws Exception {
        instance(7, Map.of());
        Exchange exchange = answered(notification(7, 1), 429, "");
        exchange.getIn().setHeader("Retry-After", "1");

        attempt.completed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::nextAttemptAt).isEqualTo(NOW + 60_000);
    }

    @Test
    void retryAfterIsIgnoredForOtherStatuses() throws Exception {
        instance(7, Map.of());
        for (int status : new int[] {500, 502, 428}) {
            Exchange exchange = answered(notification(7, 0), status, "");
            exchange.getIn().setHeader("Retry-After", "120");
            attempt.completed(exchange);
        }

        assertThat(outbox.failed).extracting(FakeOutboxStore.Failed::nextAttemptAt).containsOnly(NOW + 5_000);
    }

    @Test
    void retryAfterDoesNotSaveADeadLetter() throws Exception {
        instance(7, Map.of());
        Exchange exchange = answered(notification(7, 2), 429, "");
        exchange.getIn().setHeader("Retry-After", "120");

        attempt.completed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::nextAttemptAt).isNull();
    }

    // ---- failed

    @Test
    void failedRecordsTheRootCause() throws Exception {
        instance(7, Map.of());
        OutboxNotification n = notification(7, 0);
        Exchange exchange = exchange(n);
        attempt.prepare(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new IllegalStateException("wrapped", new IOException("io", new ConnectException("Connection refused"))));

        attempt.failed(exchange);

        assertThat(outbox.failed).containsExactly(
                new FakeOutboxStore.Failed(n.id(), OWNER, NOW, null, "ConnectException: Connection refused", NOW + 5_000));
        assertThat(callsEnded).containsExactly(n);
        assertThat(written).containsExactly(n);
        assertThat(count("polling.deliveries.retried")).isEqualTo(1.0);
    }

    @Test
    void failedWithoutCauseUsesTheExceptionItself() throws Exception {
        instance(7, Map.of());
        Exchange exchange = exchange(notification(7, 0));
        attempt.prepare(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new java.net.SocketTimeoutException("Read timed out"));

        attempt.failed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::error)
                .isEqualTo("SocketTimeoutException: Read timed out");
    }

    @Test
    void failedWithoutExceptionSaysUnknownError() throws Exception {
        instance(7, Map.of());
        Exchange exchange = exchange(notification(7, 0));
        attempt.prepare(exchange);

        attempt.failed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::error).isEqualTo("unknown error");
    }

    @Test
    void failedPrepareOfADeletedInstanceIsRecorded() {
        OutboxNotification n = notification(99, 0);
        Exchange exchange = exchange(n);
        try {
            attempt.prepare(exchange);
        } catch (IllegalStateException e) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        }

        attempt.failed(exchange);

        assertThat(outbox.failed).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(n.id());
            assertThat(f.error()).isEqualTo("IllegalStateException: instance 99 was deleted or is invalid");
            assertThat(f.nextAttemptAt()).isEqualTo(NOW + 5_000);
        });
        assertThat(callsEnded).containsExactly(n);
        assertThat(written).containsExactly(n);
    }

    @Test
    void lastFailedAttemptMakesADeadLetter() throws Exception {
        instance(7, Map.of());
        Exchange exchange = exchange(notification(7, 2));
        attempt.prepare(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ConnectException("refused"));

        attempt.failed(exchange);

        assertThat(outbox.failed).singleElement().extracting(FakeOutboxStore.Failed::nextAttemptAt).isNull();
        assertThat(count("polling.events.dead")).isEqualTo(3.0);
    }

    // ---- the call-ended and outcome-written events

    @Test
    void aDeliveredOutcomeThatCannotBeWrittenEndsTheAttemptOnce() throws Exception {
        instance(7, Map.of());
        OutboxNotification n = notification(7, 0);
        Exchange exchange = answered(n, 200, "");
        outbox.markFailure = new IllegalStateException("connection lost");

        // logged; the claim stays until its lease ends, then the notification is sent again
        attempt.completed(exchange);
        assertThat(callsEnded).containsExactly(n);
        assertThat(written).containsExactly(n);

        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("connection lost"));
        assertThatThrownBy(() -> attempt.failed(exchange)).hasMessage("connection lost");

        assertThat(callsEnded).containsExactly(n);
    }

    @Test
    void bothEventsRunEvenWhenRecordingAFailureFails() throws Exception {
        instance(7, Map.of());
        OutboxNotification n = notification(7, 0);
        Exchange exchange = answered(n, 500, "");
        outbox.markFailure = new IllegalStateException("connection lost");

        assertThatThrownBy(() -> attempt.completed(exchange)).hasMessage("connection lost");

        assertThat(callsEnded).containsExactly(n);
        assertThat(written).containsExactly(n);
    }

    @Test
    void eachExchangeEndsItsOwnAttempt() throws Exception {
        instance(7, Map.of());
        OutboxNotification first = notification(7, 0);
        OutboxNotification second = notification(7, 1);

        attempt.completed(answered(first, 200, ""));
        attempt.completed(answered(second, 500, ""));

        assertThat(callsEnded).containsExactly(first, second);
        assertThat(written).containsExactly(first, second);
    }
}
