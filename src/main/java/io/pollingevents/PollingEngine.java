package io.pollingevents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pollingevents.api.ApiCredentials;
import io.pollingevents.api.InstanceApiRoutes;
import io.pollingevents.api.InstanceService;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.delivery.DeliveryAttempt;
import io.pollingevents.delivery.OutboxDispatcher;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.event.OutboxWriter;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubResponseReader;
import io.pollingevents.hub.OAuth2Client;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.poll.ChangeDetector;
import io.pollingevents.poll.PollOutcome;
import io.pollingevents.poll.PollStarter;
import io.pollingevents.route.ClusteredQuartz;
import io.pollingevents.route.EarlyFireTolerance;
import io.pollingevents.route.RouteBeforeFire;
import io.pollingevents.route.StandbyOnShutdown;
import io.pollingevents.route.ResourceRoutes;
import io.pollingevents.store.Database;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.JdbcOutboxStore;
import io.pollingevents.store.JdbcSettingStore;
import io.pollingevents.store.JdbcTokenStore;
import io.pollingevents.store.JdbcWatermarkStore;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.SecretCipher;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;

/**
 * The polling events engine, independent of how Camel was booted: {@link #install} wires the store,
 * the beans the YAML routes call, the instance API, the outbox dispatcher and one route per stored
 * resource into a CamelContext (Camel Main or OSGi); stopping the context closes the database.
 */
public final class PollingEngine extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(PollingEngine.class);
    private static final String WAKE_URI = "seda:polling-dispatch-wake?size=1&discardWhenFull=true";
    private final Database database;
    private final InstanceService instances;
    private final ApiCredentials credentials;

    private PollingEngine(Database database, InstanceService instances, ApiCredentials credentials) {
        this.database = database;
        this.instances = instances;
        this.credentials = credentials;
    }

    /** Wires the engine into the context; call before or after the context starts. */
    public static PollingEngine install(CamelContext context) throws Exception {
        EngineSettings settings = EngineSettings.from(context);
        // HttpClient would retry 429/503 itself, waiting out Retry-After on a poll or delivery thread; the
        // engine handles both (rate-limit pause, delivery retry schedule), so the client must not
        for (String scheme : new String[] {"http", "https"}) {
            context.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
        }
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = new ObjectMapper();
        ElementRegistry elements = ElementRegistry.load(settings.elementsDir());
        Database database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        try {
            WatermarkStore watermarks = new JdbcWatermarkStore(database.dataSource());
            OutboxStore outbox = new JdbcOutboxStore(database.dataSource());
            SecretCipher cipher = SecretCipher.fromConfiguration(settings.secretsKey(), settings.secretsKeyFile());
            JdbcTokenStore tokens = new JdbcTokenStore(database.dataSource(), cipher);
            EngineMetrics metrics = new EngineMetrics(meterRegistry(context));
            OAuth2Client oauth = new OAuth2Client(mapper, tokens, clock, metrics);
            InstanceCatalog catalog = new InstanceCatalog();
            if (settings.clusterEnabled()) {
                if (!database.isPostgres()) {
                    throw new IllegalStateException("polling.cluster.enabled=true needs PostgreSQL: set polling.db.url to a "
                            + "jdbc:postgresql:// URL shared by every node (the embedded H2 database serves one process only)");
                }
                ClusteredQuartz.configure(context, database.dataSource(), settings.clusterCheckinMillis(), settings.quartzThreads());
            } else {
                outbox.releaseClaims(); // claims of a previous process of this single node
            }
            EarlyFireTolerance.install(context);
            StandbyOnShutdown.install(context);
            OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, metrics, clock, settings.nodeId(),
                    settings.deliveryConcurrency() * 2, settings.deliveryPerInstance(), settings.deliveryLeaseMillis(),
                    settings.deliveredRetention());
            HubLimits limits = new HubLimits(clock, settings.hubSlotWaitMillis());

            Registry registry = context.getRegistry();
            registry.bind("pollStarter", new PollStarter(catalog, elements, watermarks, limits, clock));
            registry.bind("hubRequest", new HubRequest(oauth, limits));
            registry.bind("hubResponse", new HubResponseReader(mapper, oauth, limits));
            registry.bind("changeDetector", new ChangeDetector());
            registry.bind("outboxWriter", new OutboxWriter(new NotificationBuilder(mapper), outbox, metrics, settings.outboxChunk()));
            registry.bind("pollOutcome", new PollOutcome(watermarks, metrics, limits));
            registry.bind("deliveryAttempt", new DeliveryAttempt(catalog, outbox, settings.retrySchedule(), metrics, clock,
                    settings.nodeId(), dispatcher::attemptEnded));

            ResourceRoutes routes = new ResourceRoutes(context);
            routes.loadRoutes(settings.routesDir());
            InstanceService service = new InstanceService(mapper, new InstanceParser(mapper, elements), elements,
                    new JdbcInstanceStore(database.dataSource()), watermarks, outbox, tokens, oauth, catalog, routes, clock, cipher);
            ApiCredentials credentials = ApiCredentials.resolve(settings.apiUserSecret(), settings.apiOrganizationSecret(),
                    new JdbcSettingStore(database.dataSource()));
            context.addRoutes(new InstanceApiRoutes(service, credentials, mapper));
            context.addRoutes(dispatcherRoutes(dispatcher, settings, () -> metrics.oauthRefreshFailed(tokens.failedRefreshes())));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // instances created, changed or deleted through another node (or by hand in the database)
                    from("scheduler:polling-reconcile?initialDelay=" + settings.reconcileMillis() + "&delay=" + settings.reconcileMillis())
                            .routeId("instance-reconciler")
                            .process(e -> service.reconcile());
                }
            });
            if (settings.clusterEnabled()) {
                RouteBeforeFire.install(context, service::reconcile);
            }
            PollingEngine engine = new PollingEngine(database, service, credentials);
            registry.bind("pollingEngine", engine);
            context.addService(engine, true, true);
            service.startAll();
            LOG.info("polling-events engine installed: node {}, database {}, delivery retry schedule {}", settings.nodeId(),
                    settings.dbUrl().replaceAll("(?i)(password=)[^;&]*", "$1****"), settings.retrySchedule());
            return engine;
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    /** The outbox dispatcher feeds the delivery route; the maintenance route refreshes gauges and retention. */
    private static RouteBuilder dispatcherRoutes(OutboxDispatcher dispatcher, EngineSettings settings, Runnable moreMaintenance) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                ProducerTemplate wakes = getContext().createProducerTemplate();
                wakes.setDefaultEndpointUri(WAKE_URI);
                dispatcher.onWake(() -> {
                    try {
                        wakes.sendBody("");
                    } catch (RuntimeException e) {
                        LOG.debug("Could not wake the outbox dispatcher; the next tick will dispatch", e);
                    }
                });
                from("scheduler:polling-outbox?initialDelay=500&delay=" + settings.deliveryPollMillis()).routeId("outbox-dispatcher")
                        .to("direct:polling-dispatch");
                // also run right after a delivery attempt ends, so a freed slot is refilled without waiting for the tick
                from(WAKE_URI).routeId("outbox-dispatcher-wake")
                        .to("direct:polling-dispatch");
                from("direct:polling-dispatch").routeId("outbox-dispatch")
                        .process(e -> e.getMessage().setBody(dispatcher.claimForDispatch()))
                        .split(body())
                        .to("seda:polling-deliveries?waitForTaskToComplete=Never");
                from("scheduler:polling-maintenance?initialDelay=1000&delay=5000").routeId("outbox-maintenance")
                        .process(e -> {
                            dispatcher.maintain();
                            moreMaintenance.run();
                        });
            }
        };
    }

    private static MeterRegistry meterRegistry(CamelContext context) {
        Set<MeterRegistry> found = context.getRegistry().findByType(MeterRegistry.class);
        if (found.isEmpty()) {
            LOG.info("No Micrometer registry in the Camel registry (camel.metrics.enabled=false); engine metrics are kept in memory only");
            return new SimpleMeterRegistry();
        }
        return found.iterator().next();
    }

    public InstanceService instances() {
        return instances;
    }

    /** The Authorization header value that API requests must send. */
    public String authorizationHeader() {
        return credentials.header();
    }

    @Override
    protected void doStop() {
        database.close();
    }
}
