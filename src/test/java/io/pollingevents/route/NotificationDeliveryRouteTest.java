package io.pollingevents.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.delivery.AttemptEvents;
import io.pollingevents.delivery.DeliveryAttempt;
import io.pollingevents.delivery.OutboxDispatcher;
import io.pollingevents.delivery.RetrySchedule;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.EventType;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.Database;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.JdbcOutboxStore;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.support.Seeds;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/notification-delivery.yaml with the real deliveryAttempt bean, outbox dispatcher and an in-memory H2 store;
 * the callback call ({@code to: http:polling-callback}) is replaced by a processor that records the request and
 * answers 200, 500 or throws. The retry schedule is one retry after a minute, so the second attempt is the last.
 */
class NotificationDeliveryRouteTest extends CamelTestSupport {
    private static final String CALLBACK = "https://receiver.test/events";
    private static final String KEY = "test-signing-key";
    private static final long MINUTE = 60_000;

    private final TestClock clock = new TestClock(Instant.parse("2024-03-01T12:00:00Z"));
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger outcomesWritten = new AtomicInteger();
    private volatile Processor callback;
    private Database database;
    private JdbcOutboxStore outbox;
    private OutboxDispatcher dispatcher;
    private OutboxNotification notification;
    private long instanceId;

    record Request(String method, String uri, String body, String signature, String webhookId) {
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Test
    void aNotificationIsPostedSignedToTheCallbackUrlAndA2xxMarksItDelivered() throws Exception {
        callback = answer(204, null);

        deliverDue();

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.uri()).isEqualTo(CALLBACK);
            assertThat(request.body()).isEqualTo(notification.body());
            assertThat(request.signature()).isEqualTo(hmacSha256(KEY, notification.body()));
            assertThat(request.webhookId()).isEqualTo(notification.id());
        });
        EventLogEntry entry = theEvent();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastStatus()).isEqualTo(204);
        assertThat(entry.deliveredAt()).isEqualTo(clock.millis());
    }

    @Test
    void a500SchedulesARetry() throws Exception {
        callback = answer(500, "boom");

        deliverDue();

        EventLogEntry entry = theEvent();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastStatus()).isEqualTo(500);
        assertThat(entry.lastError()).isEqualTo("callback answered 500: boom");
        assertThat(entry.nextAttemptAt()).isEqualTo(clock.millis() + MINUTE);
    }

    @Test
    void anExceptionSchedulesARetry() throws Exception {
        callback = exchange -> {
            throw new IOException("Connection refused");
        };

        deliverDue();

        EventLogEntry entry = theEvent();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastStatus()).isNull();
        assertThat(entry.lastError()).isEqualTo("IOException: Connection refused");
        assertThat(entry.nextAttemptAt()).isEqualTo(clock.millis() + MINUTE);
    }

    @Test
    void theLastAttemptMakesADeadLetter() throws Exception {
        callback = answer(500, "boom");
        deliverDue();
        clock.advance(MINUTE);

        deliverDue();

        assertThat(requests).hasSize(2);
        EventLogEntry entry = theEvent();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.nextAttemptAt()).isNull();
    }

    /** Stores one notification of the SmartRecruiters example instance and starts the advised delivery route. */
    @BeforeEach
    void start() throws Exception {
        database = Database.open("jdbc:h2:mem:delivery-" + UUID.randomUUID(), "sa", "", 2);
        outbox = new JdbcOutboxStore(database.dataSource(), database.dialect());
        ObjectMapper mapper = new ObjectMapper();
        ElementRegistry elements = ElementRegistry.load(null);
        String body = Seeds.example("smartrecruiters", Map.of("event.notification.callback.url", CALLBACK,
                "event.notification.signature.key", KEY));
        InstanceDefinition parsed = new InstanceParser(mapper, elements).parse(Seeds.json(body));
        StoredInstance row = new JdbcInstanceStore(database.dataSource())
                .insert("token", parsed.elementKey(), parsed.name(), body, clock.millis(), List.of("candidates"));
        instanceId = row.id();
        InstanceDefinition instance = parsed.withIdentity(row.id(), row.token(), clock.instant());
        InstanceCatalog catalog = new InstanceCatalog();
        catalog.put(instance, row.updatedAt());

        DetectedChange change = new DetectedChange("c1", clock.instant(), EventType.CREATED,
                Seeds.json("{\"id\":\"c1\",\"updatedOn\":\"2024-03-01T11:59:00.000Z\"}"));
        notification = new NotificationBuilder(mapper).build(instance, instance.resource("candidates"),
                elements.find("smartrecruiters").orElseThrow(), clock.instant(), List.of(change));
        outbox.savePoll(instanceId, "candidates", List.of(notification), null, null);

        EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry());
        dispatcher = new OutboxDispatcher(outbox, metrics, clock, "node-a", 4, 2, MINUTE, Duration.ofDays(1));
        context.getRegistry().bind("deliveryAttempt", new DeliveryAttempt(catalog, outbox, RetrySchedule.parse("1m", 0),
                metrics, clock, "node-a", new AttemptEvents() {
                    @Override
                    public void callEnded(OutboxNotification n) {
                        dispatcher.callEnded(n);
                    }

                    @Override
                    public void outcomeWritten(OutboxNotification n) {
                        dispatcher.outcomeWritten(n);
                        outcomesWritten.incrementAndGet();
                    }
                }));
        context.getPropertiesComponent().addInitialProperty("polling.delivery.concurrency", "2");
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/" + ResourceRoutes.DELIVERY_FILE));
        AdviceWith.adviceWith(context, "notification-delivery", route -> route.weaveByToUri("http:*").replace().process(exchange -> {
            Message in = exchange.getIn();
            requests.add(new Request(in.getHeader(Exchange.HTTP_METHOD, String.class), in.getHeader(Exchange.HTTP_URI, String.class),
                    in.getBody(String.class), in.getHeader("Elements-Webhook-Signature", String.class),
                    in.getHeader("Elements-Webhook-Id", String.class)));
            callback.process(exchange);
        }));
        context.start();
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    /** What the engine's dispatch route does: claims the due notification and hands it to the delivery route. */
    private void deliverDue() {
        List<OutboxNotification> claimed = dispatcher.claim();
        assertThat(claimed).extracting(OutboxNotification::id).containsExactly(notification.id());
        int before = outcomesWritten.get();
        template.sendBody("seda:polling-deliveries?waitForTaskToComplete=Never", claimed.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomesWritten.get() > before);
    }

    private EventLogEntry theEvent() {
        List<EventLogEntry> events = outbox.events(instanceId, null, 10);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static Processor answer(int status, String body) {
        return exchange -> {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getIn().setBody(body);
        };
    }

    /** The signature as receivers check it: sha256=Base64(HMAC-SHA256(key, body)). */
    private static String hmacSha256(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A clock the test moves forward, shared by the dispatcher (what is due) and the delivery attempt (when). */
    static final class TestClock extends Clock {
        private final AtomicLong millis;

        TestClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(long ms) {
            millis.addAndGet(ms);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
