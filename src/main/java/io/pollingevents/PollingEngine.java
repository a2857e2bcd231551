package io.pollingevents;

import io.pollingevents.console.ConsoleRoutes;
import io.pollingevents.delivery.OutboxDispatcher;
import io.pollingevents.route.EarlyFireTolerance;
import io.pollingevents.route.InstanceReconciler;
import io.pollingevents.route.PartitionGate;
import io.pollingevents.route.QuartzThreads;
import io.pollingevents.route.RouteJobFactory;
import io.pollingevents.route.StandbyOnShutdown;
import io.pollingevents.store.Database;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling events engine, independent of how Camel was booted: {@link #install} opens the store, binds the beans
 * the YAML routes call, and adds the instance API, the outbox dispatcher and one route per stored resource to a
 * CamelContext (Camel Main or OSGi); stopping the context closes the database.
 */
public final class PollingEngine extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(PollingEngine.class);
    private static final String WAKE_URI = "seda:polling-dispatch-wake?size=1&discardWhenFull=true";
    private final Database database;
    private final EngineBeans beans;

    private PollingEngine(Database database, EngineBeans beans) {
        this.database = database;
        this.beans = beans;
    }

    /** Wires the engine into the context; call before or after the context starts. */
    public static PollingEngine install(CamelContext context) throws Exception {
        EngineSettings settings = EngineSettings.from(context);
        // HttpClient would retry 429/503 itself, waiting out Retry-After on a poll or delivery thread; the
        // engine handles both (rate-limit pause, delivery retry schedule), so the client must not
        for (String scheme : new String[] {"http", "https"}) {
            context.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
        }
        Database database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        try {
            if (settings.clusterEnabled()) {
                if (!database.isPostgres()) {
                    throw new IllegalStateException("polling.cluster.enabled=true needs PostgreSQL: set polling.db.url to a "
                            + "jdbc:postgresql:// URL shared by every node (the embedded H2 database serves one process only)");
                }
                QuartzThreads.configure(context, settings.quartzThreads());
            }
            EngineBeans beans = new EngineBeans(context, settings, database);
            if (!settings.clusterEnabled()) {
                beans.outbox.releaseClaims(); // claims of a previous process of this single node
            }
            EarlyFireTolerance.install(context);
            StandbyOnShutdown.install(context);
            PluginHelper.getBeanPostProcessor(context).postProcessBeforeInitialization(beans, "pollingEngineBeans");
            beans.routes.loadRoutes(settings.routesDir());
            context.addRoutes(beans.api);
            context.addRoutes(new ConsoleRoutes());
            context.addRoutes(dispatcherRoutes(beans, settings));
            context.addRoutes(reconcilerRoute(beans.reconciler, settings.reconcileMillis()));
            RouteJobFactory.install(context);
            if (settings.clusterEnabled()) {
                PartitionGate.install(context, beans.leasing);
                context.addService(beans.leasing, true, true);
            }
            PollingEngine engine = new PollingEngine(database, beans);
            context.getRegistry().bind("pollingEngine", engine);
            context.addService(engine, true, true);
            startStoredInstances(context, beans.reconciler);
            LOG.info("polling-events engine installed: node {}, database {}, delivery retry schedule {}", settings.nodeId(),
                    settings.dbUrl().replaceAll("(?i)(password=)[^;&]*", "$1****"), settings.retrySchedule());
            return engine;
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    /**
     * Starts the routes of the stored instances now if the context runs, else in the background as soon as it has
     * started: routes added before the start are all validated against each other when the context starts, which
     * takes minutes for thousands of routes, while a route added to a running context costs the same however many exist.
     */
    private static void startStoredInstances(CamelContext context, InstanceReconciler reconciler) throws Exception {
        if (context.isStarted()) {
            reconciler.startAll();
            return;
        }
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // routes are added once the context has fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                // in the background, so the API answers while thousands of stored routes are added
                Thread starter = new Thread(() -> {
                    try {
                        reconciler.startAll(() -> started.isStopping() || started.isStopped());
                    } catch (Exception e) {
                        LOG.error("Could not start the stored instances; the reconciler retries every few seconds", e);
                    }
                }, "polling-stored-instances");
                starter.setDaemon(true);
                starter.start();
            }
        });
    }

    /** Instances created, changed or deleted through another node (or by hand in the database) start or stop here. */
    private static RouteBuilder reconcilerRoute(InstanceReconciler reconciler, long intervalMillis) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("scheduler:polling-reconcile?initialDelay=" + intervalMillis + "&delay=" + intervalMillis)
                        .routeId("instance-reconciler")
                        .process(e -> reconciler.reconcile());
            }
        };
    }

    /** The outbox dispatcher feeds the delivery route; the maintenance route refreshes gauges and retention. */
    private static RouteBuilder dispatcherRoutes(EngineBeans beans, EngineSettings settings) {
        OutboxDispatcher dispatcher = beans.dispatcher;
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
                            beans.metrics.oauthRefreshFailed(beans.tokens.failedRefreshes());
                        });
            }
        };
    }

    /** The Authorization header value that API requests must send. */
    public String authorizationHeader() {
        return beans.credentials.header();
    }

    @Override
    protected void doStop() {
        database.close();
    }
}
