package io.pollingevents.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubResponseReader;
import io.pollingevents.hub.OAuth2Client;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.poll.ChangeDetector;
import io.pollingevents.poll.OutboxWriter;
import io.pollingevents.poll.PollOutcome;
import io.pollingevents.poll.PollStarter;
import io.pollingevents.store.Database;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.JdbcOutboxStore;
import io.pollingevents.store.JdbcTokenStore;
import io.pollingevents.store.JdbcWatermarkStore;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.SecretCipher;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.store.Watermark;
import io.pollingevents.support.Seeds;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * routes/resource-poller.yaml with the engine's real beans on an in-memory H2 store; the Quartz trigger is replaced
 * by direct:poll and the hub call ({@code to: http:polling-hub}) by a processor answering pages of SmartRecruiters
 * candidates as its API does ({@code {"content":[...]}}).
 */
class ResourcePollerRouteTest extends CamelTestSupport {
    private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
    private static final String RESOURCE = "candidates";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> hubUrls = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private Function<String, HubAnswer> hub;
    private Database database;
    private JdbcWatermarkStore watermarks;
    private JdbcOutboxStore outbox;
    private long instanceId;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    record HubAnswer(int status, String body) {
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Test
    void twoChangedRecordsBecomeOneNotificationAndMoveTheWatermark() throws Exception {
        start(candidates -> { });
        hub = url -> ok(candidate("c1", "2024-02-01T10:00:00.000Z", "2024-02-01T10:00:00.000Z"),
                candidate("c2", "2023-06-01T00:00:00.000Z", "2024-02-02T10:00:00.000Z"),
                candidate("c3", "2023-06-01T00:00:00.000Z", "2023-12-31T23:59:59.999Z"));

        template.sendBody("direct:poll", null);

        assertThat(hubUrls).singleElement().satisfies(url -> assertThat(decoded(url))
                .isEqualTo("http://hub.test/candidates?updatedAfter=2024-01-01T00:00:00.000Z&limit=100"));
        assertThat(apiKeys).containsExactly("test-api-key");
        List<OutboxNotification> stored = pendingNotifications();
        assertThat(stored).singleElement().satisfies(n -> {
            assertThat(n.eventCount()).isEqualTo(2);
            JsonNode raw = JSON.readTree(n.body()).path("message").path("raw").path(RESOURCE);
            assertThat(raw.findValuesAsText("id")).containsExactly("c1", "c2");
        });
        assertThat(outbox.events(instanceId, null, 100))
                .extracting(EventLogEntry::objectId, EventLogEntry::eventType)
                .containsExactly(tuple("c1", "CREATED"), tuple("c2", "UPDATED"));
        assertThat(watermarks.load(instanceId, RESOURCE))
                .contains(new Watermark(Instant.parse("2024-02-02T10:00:00Z"), Set.of("c2")));
        assertThat(lastResult()).isEqualTo("ok: 3 records, 2 events stored for delivery");
    }

    @Test
    void theNextPollAsksFromTheNewWatermarkAndSkipsUnchangedRecords() throws Exception {
        start(candidates -> { });
        String c1 = candidate("c1", "2024-02-01T10:00:00.000Z", "2024-02-01T10:00:00.000Z");
        String c2 = candidate("c2", "2023-06-01T00:00:00.000Z", "2024-02-02T10:00:00.000Z");
        hub = url -> ok(c1, c2);
        template.sendBody("direct:poll", null);

        hub = url -> ok(c1, c2, candidate("c4", "2024-02-03T08:00:00.000Z", "2024-02-03T08:00:00.000Z"));
        template.sendBody("direct:poll", null);

        // one millisecond of lookback: the date format's precision, so a change in the same millisecond is not lost
        assertThat(decoded(hubUrls.get(1))).contains("updatedAfter=2024-02-02T09:59:59.999Z");
        assertThat(outbox.events(instanceId, null, 100)).extracting(EventLogEntry::objectId).containsExactly("c1", "c2", "c4");
        assertThat(pendingNotifications()).hasSize(2);
        assertThat(watermarks.load(instanceId, RESOURCE))
                .contains(new Watermark(Instant.parse("2024-02-03T08:00:00Z"), Set.of("c4")));
        assertThat(lastResult()).isEqualTo("ok: 3 records, 1 event stored for delivery");
    }

    @Test
    void aHub500LeavesTheWatermarkAndRecordsTheFailedPoll() throws Exception {
        start(candidates -> { });
        hub = url -> new HubAnswer(500, "{\"message\":\"maintenance\"}");

        template.sendBody("direct:poll", null);

        assertThat(watermarks.load(instanceId, RESOURCE)).contains(new Watermark(CREATED, Set.of()));
        assertThat(outbox.events(instanceId, null, 100)).isEmpty();
        assertThat(lastResult()).startsWith("failed: hub answered 500 to GET http://hub.test/candidates?updatedAfter=")
                .contains("maintenance")
                .endsWith("(the watermark stays; the next poll asks the hub again)");
    }

    @Test
    void aFullPageWithoutANextPageIsReportedAndTheWatermarkStays() throws Exception {
        // no paging, and a hub that answers at most two records: the second page is never asked for
        start(candidates -> candidates.putObject("pagination").put("type", "none").put("pageSize", 2));
        hub = url -> ok(candidate("c1", "2024-02-01T10:00:00.000Z", "2024-02-01T10:00:00.000Z"),
                candidate("c2", "2024-02-02T10:00:00.000Z", "2024-02-02T10:00:00.000Z"));

        template.sendBody("direct:poll", null);

        assertThat(hubUrls).singleElement().satisfies(url -> assertThat(url).doesNotContain("limit"));
        // what was read is delivered; but the hub's order is not by date, so unread records may be older
        assertThat(outbox.events(instanceId, null, 100)).extracting(EventLogEntry::objectId).containsExactly("c1", "c2");
        assertThat(watermarks.load(instanceId, RESOURCE)).contains(new Watermark(CREATED, Set.of()));
        assertThat(lastResult()).startsWith("ok: 2 records, 2 events stored for delivery; TRUNCATED? the last page was full "
                + "(pagination.pageSize 2) but the hub named no next page").endsWith("the watermark stays. "
                + "Give the resource a pagination that follows the hub's pages (docs/element-descriptors.md)");
        assertThat(meters.find("polling.polls.truncated").counter().count()).isEqualTo(1.0);
    }

    @Test
    void offsetPagingAsksForTheNextPageUntilAShortPage() throws Exception {
        start(candidates -> candidates.putObject("pagination").put("type", "offset").put("pageSize", 2).put("pageSizeParam", "limit"));
        hub = url -> url.endsWith("offset=0")
                ? ok(candidate("c1", "2024-02-01T10:00:00.000Z", "2024-02-01T10:00:00.000Z"),
                        candidate("c2", "2024-02-02T10:00:00.000Z", "2024-02-02T10:00:00.000Z"))
                : ok(candidate("c3", "2024-02-03T10:00:00.000Z", "2024-02-03T10:00:00.000Z"));

        template.sendBody("direct:poll", null);

        assertThat(hubUrls).hasSize(2);
        assertThat(hubUrls.get(0)).endsWith("&limit=2&offset=0");
        assertThat(hubUrls.get(1)).endsWith("&limit=2&offset=2");
        assertThat(outbox.events(instanceId, null, 100)).extracting(EventLogEntry::objectId).containsExactly("c1", "c2", "c3");
        assertThat(watermarks.load(instanceId, RESOURCE))
                .contains(new Watermark(Instant.parse("2024-02-03T10:00:00Z"), Set.of("c3")));
        assertThat(lastResult()).isEqualTo("ok: 3 records in 2 pages, 3 events stored for delivery");
    }

    /**
     * Stores the SmartRecruiters example instance (its candidates resource changed by {@code resource}), binds the
     * poll beans as EngineBeans does, instantiates the route template and starts Camel with the http call advised.
     */
    private void start(Consumer<ObjectNode> resource) throws Exception {
        database = Database.open("jdbc:h2:mem:poller-" + UUID.randomUUID(), "sa", "", 2);
        watermarks = new JdbcWatermarkStore(database.dataSource());
        outbox = new JdbcOutboxStore(database.dataSource(), database.dialect());
        ElementRegistry elements = ElementRegistry.load(null);
        ObjectNode body = Seeds.json(Seeds.example("smartrecruiters",
                Map.of("base.url", "http://hub.test", "api.key", "test-api-key")));
        resource.accept((ObjectNode) body.path("configuration").path("event.poller.configuration").path(RESOURCE));
        InstanceDefinition parsed = new InstanceParser(JSON, elements).parse(body);
        StoredInstance row = new JdbcInstanceStore(database.dataSource())
                .insert("token", parsed.elementKey(), parsed.name(), body.toString(), CREATED.toEpochMilli(), List.of(RESOURCE));
        instanceId = row.id();
        InstanceDefinition instance = parsed.withIdentity(row.id(), row.token(), CREATED);
        InstanceCatalog catalog = new InstanceCatalog();
        catalog.put(instance, row.updatedAt());

        Clock clock = Clock.systemUTC();
        EngineMetrics metrics = new EngineMetrics(meters);
        HubLimits limits = new HubLimits(clock, 1000);
        SecretCipher cipher = SecretCipher.fromConfiguration(Base64.getEncoder().encodeToString(new byte[32]), null);
        OAuth2Client oauth = new OAuth2Client(context.createProducerTemplate(), JSON,
                new JdbcTokenStore(database.dataSource(), cipher), clock, metrics);
        Registry registry = context.getRegistry();
        registry.bind("pollStarter", new PollStarter(catalog, elements, watermarks, limits, clock));
        registry.bind("hubRequest", new HubRequest(oauth));
        registry.bind("hubResponse", new HubResponseReader(JSON, oauth, limits, clock));
        registry.bind("changeDetector", new ChangeDetector());
        registry.bind("outboxWriter", new OutboxWriter(new NotificationBuilder(JSON), outbox, metrics, 1000, () -> { }));
        registry.bind("pollOutcome", new PollOutcome(watermarks, metrics));

        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/" + ResourceRoutes.TEMPLATE_FILE));
        new ResourceRoutes(context).start(instance);
        AdviceWith.adviceWith(context, ResourceRoutes.routeId(instanceId, RESOURCE), route -> {
            route.replaceFromWith("direct:poll");
            route.weaveByToUri("http:*").replace().process(exchange -> {
                String url = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
                hubUrls.add(url);
                apiKeys.add(exchange.getIn().getHeader("X-SmartToken", String.class));
                HubAnswer answer = hub.apply(url);
                exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
                exchange.getIn().setBody(answer.body());
            });
        });
        context.start();
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private String lastResult() {
        return watermarks.states(instanceId).get(0).lastResult();
    }

    private static HubAnswer ok(String... records) {
        return new HubAnswer(200, "{\"content\":[" + String.join(",", records) + "]}");
    }

    private static String candidate(String id, String createdOn, String updatedOn) {
        return "{\"id\":\"" + id + "\",\"createdOn\":\"" + createdOn + "\",\"updatedOn\":\"" + updatedOn + "\"}";
    }

    private static String decoded(String url) {
        return URLDecoder.decode(url, StandardCharsets.UTF_8);
    }

    /** The notifications waiting for delivery: what a dispatcher would claim (claimed here for a moment far ahead). */
    private List<OutboxNotification> pendingNotifications() {
        return outbox.claimDue("test", Instant.parse("2100-01-01T00:00:00Z").toEpochMilli(), 1, 10, 10);
    }
}
