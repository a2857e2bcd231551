package io.pollingevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.api.ApiCredentials;
import io.pollingevents.api.ElementList;
import io.pollingevents.api.EngineStatus;
import io.pollingevents.api.EventLog;
import io.pollingevents.api.InstanceActivity;
import io.pollingevents.api.InstanceApiRoutes;
import io.pollingevents.api.InstancePreviews;
import io.pollingevents.api.InstanceCommands;
import io.pollingevents.api.InstanceQueries;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.config.InvalidInstanceException;
import io.pollingevents.delivery.DeliveryAttempt;
import io.pollingevents.delivery.OutboxDispatcher;
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
import io.pollingevents.poll.PollPreview;
import io.pollingevents.poll.PollStarter;
import io.pollingevents.route.InstanceReconciler;
import io.pollingevents.route.PartitionLeasing;
import io.pollingevents.route.ResourceRoutes;
import io.pollingevents.route.StoredInstances;
import io.pollingevents.store.Database;
import io.pollingevents.store.ClusterLocks;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.PostgresClusterLocks;
import io.pollingevents.store.PostgresPartitionLeases;
import io.pollingevents.store.JdbcOutboxStore;
import io.pollingevents.store.JdbcSettingStore;
import io.pollingevents.store.JdbcTokenStore;
import io.pollingevents.store.JdbcWatermarkStore;
import io.pollingevents.store.SecretCipher;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's objects, made once from the settings and the database, and the beans the YAML routes call, bound to
 * the Camel registry under the names the routes use by {@link BindToRegistry}, as in camel-main's configuration
 * classes (Camel's bean post-processor binds them under Camel Main and Karaf alike).
 */
public final class EngineBeans {
    private static final Logger LOG = LoggerFactory.getLogger(EngineBeans.class);

    final Clock clock = Clock.systemUTC();
    final ObjectMapper mapper = new ObjectMapper();
    final ElementRegistry elements;
    final JdbcInstanceStore instanceStore;
    final JdbcWatermarkStore watermarks;
    final JdbcOutboxStore outbox;
    final JdbcTokenStore tokens;
    final SecretCipher cipher;
    final EngineMetrics metrics;
    final OAuth2Client oauth;
    final InstanceCatalog catalog = new InstanceCatalog();
    final HubLimits limits;
    final OutboxDispatcher dispatcher;
    final ResourceRoutes routes;
    final InstanceReconciler reconciler;
    /** How this node's share of a cluster's polls is leased; null on a single node, which polls everything. */
    final PartitionLeasing leasing;
    final ApiCredentials credentials;
    final InstanceApiRoutes api;

    // the beans the YAML routes call, under the names they call them by
    @BindToRegistry("pollStarter")
    private final PollStarter pollStarter;
    @BindToRegistry("hubRequest")
    private final HubRequest hubRequest;
    @BindToRegistry("hubResponse")
    private final HubResponseReader hubResponse;
    @BindToRegistry("changeDetector")
    private final ChangeDetector changeDetector = new ChangeDetector();
    @BindToRegistry("outboxWriter")
    private final OutboxWriter outboxWriter;
    @BindToRegistry("pollOutcome")
    private final PollOutcome pollOutcome;
    @BindToRegistry("deliveryAttempt")
    private final DeliveryAttempt deliveryAttempt;

    EngineBeans(CamelContext context, EngineSettings settings, Database database) {
        elements = ElementRegistry.load(settings.elementsDir());
        instanceStore = new JdbcInstanceStore(database.dataSource());
        watermarks = new JdbcWatermarkStore(database.dataSource());
        outbox = new JdbcOutboxStore(database.dataSource(), database.dialect());
        cipher = SecretCipher.fromConfiguration(settings.secretsKey(), settings.secretsKeyFile());
        tokens = new JdbcTokenStore(database.dataSource(), cipher);
        metrics = new EngineMetrics(meterRegistry(context));
        oauth = new OAuth2Client(context.createProducerTemplate(), mapper, tokens, clock, metrics);
        limits = new HubLimits(clock, settings.hubSlotWaitMillis(), settings.clusterEnabled() && database.isPostgres()
                ? new PostgresClusterLocks(database.dataSource(), settings.clusterCheckinMillis()) : ClusterLocks.SINGLE_NODE);
        dispatcher = new OutboxDispatcher(outbox, metrics, clock, settings.nodeId(), settings.deliveryConcurrency() * 2,
                settings.deliveryPerInstance(), settings.deliveryLeaseMillis(), settings.deliveredRetention());
        routes = new ResourceRoutes(context);
        InstanceParser parser = new InstanceParser(mapper, elements);
        StoredInstances stored = new StoredInstances(mapper, parser, elements, cipher);
        AtomicBoolean storedStarted = new AtomicBoolean();
        leasing = settings.clusterEnabled() ? new PartitionLeasing(context, new PostgresPartitionLeases(database.dataSource()),
                settings.nodeId(), settings.clusterCheckinMillis(), storedStarted::get) : null;
        reconciler = new InstanceReconciler(instanceStore, stored, catalog, routes, leasing != null ? leasing::pollOnceHere : routeId -> { },
                storedStarted);
        InstanceQueries queries = new InstanceQueries(mapper, elements, instanceStore, stored, catalog, watermarks, outbox, tokens);
        InstanceCommands commands = new InstanceCommands(parser, elements, instanceStore, stored, tokens, oauth, reconciler, queries, clock);
        credentials = ApiCredentials.resolve(settings.apiUserSecret(), settings.apiOrganizationSecret(),
                new JdbcSettingStore(database.dataSource()));
        pollStarter = new PollStarter(catalog, elements, watermarks, limits, clock);
        hubRequest = new HubRequest(oauth);
        hubResponse = new HubResponseReader(mapper, oauth, limits, clock);
        PollPreview preview = new PollPreview(mapper, elements, hubRequest, hubResponse, changeDetector, new NotificationBuilder(mapper),
                outbox, limits, context.createProducerTemplate(), clock);
        api = new InstanceApiRoutes(commands, queries, new EventLog(mapper, instanceStore, outbox, clock),
                new InstancePreviews(parser, catalog, watermarks, elements, preview, clock),
                new InstanceActivity(mapper, instanceStore, outbox, clock), new EngineStatus(mapper, settings.nodeId(), settings.clusterEnabled(),
                        () -> leasing == null ? 0 : leasing.partitionsPolled()),
                new ElementList(mapper, elements), credentials, mapper);

        outboxWriter = new OutboxWriter(new NotificationBuilder(mapper), outbox, metrics, settings.outboxChunk(), dispatcher::wake);
        pollOutcome = new PollOutcome(watermarks, metrics);
        deliveryAttempt = new DeliveryAttempt(catalog, outbox, settings.retrySchedule(), metrics, clock, settings.nodeId(),
                dispatcher, id -> instanceStore.find(id).flatMap(row -> {
                    try {
                        return Optional.of(stored.definition(row));
                    } catch (JsonProcessingException | InvalidInstanceException e) {
                        return Optional.empty(); // no longer valid: the attempt fails and says so
                    }
                }));
    }

    private static MeterRegistry meterRegistry(CamelContext context) {
        Set<MeterRegistry> found = context.getRegistry().findByType(MeterRegistry.class);
        if (found.isEmpty()) {
            LOG.info("No Micrometer registry in the Camel registry (camel.metrics.enabled=false); engine metrics are kept in memory only");
            return new SimpleMeterRegistry();
        }
        return found.iterator().next();
    }
}
