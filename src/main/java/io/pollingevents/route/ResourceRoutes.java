package io.pollingevents.route;

import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates and removes the Quartz-triggered route of each polled resource from the
 * {@value #TEMPLATE_ID} route template, which is loaded with the delivery route from the routes
 * directory (the user's editable copies) or, when a file is absent there, from the copy inside the jar.
 */
public final class ResourceRoutes {
    public static final String TEMPLATE_ID = "resource-poller";
    public static final String TEMPLATE_FILE = "resource-poller.yaml";
    public static final String DELIVERY_FILE = "notification-delivery.yaml";
    /** The Quartz group of the resources' jobs and triggers (the template's {@code quartz:polling-events/...}). */
    public static final String QUARTZ_GROUP = "polling-events";
    private static final Logger LOG = LoggerFactory.getLogger(ResourceRoutes.class);

    /** A first poll waits at least this long, so the route has fully started when its trigger fires. */
    static final long FIRST_POLL_DELAY_MILLIS = 500;

    private final CamelContext context;
    /** The routes this engine started, by instance: stopping one instance looks at its own routes only. */
    private final Map<Long, List<String>> running = new HashMap<>();
    private boolean metricsScoped;

    public ResourceRoutes(CamelContext context) {
        this.context = context;
    }

    /**
     * Loads the engine's YAML routes ({@value #TEMPLATE_FILE} and {@value #DELIVERY_FILE}) from the routes
     * directory, each falling back to the copy inside the jar when the directory does not have it.
     */
    public void loadRoutes(Path routesDir) throws Exception {
        for (String file : new String[] {TEMPLATE_FILE, DELIVERY_FILE}) {
            Path candidate = routesDir == null ? null : routesDir.resolve(file);
            String location = candidate != null && Files.isRegularFile(candidate)
                    ? "file:" + candidate.toAbsolutePath()
                    : "classpath:routes/" + file;
            Resource resource = ResourceHelper.resolveMandatoryResource(context, location);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            LOG.info("Routes loaded from {}", location);
        }
        if (context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(TEMPLATE_ID) == null) {
            throw new IllegalStateException(TEMPLATE_FILE + " does not define the route template '" + TEMPLATE_ID
                    + "'; restore it from the project's routes/" + TEMPLATE_FILE);
        }
    }

    public static String routeId(long instanceId, String resource) {
        return "instance-" + instanceId + "-" + resource;
    }

    /** Starts one route per resource of an instance whose events are enabled; each resource polls at once. */
    public synchronized void start(InstanceDefinition instance) throws Exception {
        start(instance, FIRST_POLL_DELAY_MILLIS);
    }

    /**
     * Starts the routes of an instance with their first poll after {@code firstPollDelayMillis} (at least
     * {@value #FIRST_POLL_DELAY_MILLIS} ms); a restart spreads the first polls of the stored resources over their
     * interval this way, instead of firing them all at once.
     */
    public synchronized void start(InstanceDefinition instance, long firstPollDelayMillis) throws Exception {
        if (!instance.notificationsEnabled()) {
            LOG.info("Instance {} ({}) has event.notification.enabled=false; not polling", instance.id(), instance.name());
            return;
        }
        if (!metricsScoped) {
            PollerRouteMetrics.exclude(context);
            metricsScoped = true;
        }
        List<String> ids = running.computeIfAbsent(instance.id(), id -> new ArrayList<>());
        for (ResourceConfig resource : instance.resources()) {
            String routeId = routeId(instance.id(), resource.name());
            TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                    .routeId(routeId)
                    .parameter("instanceId", Long.toString(instance.id()))
                    .parameter("resource", resource.name())
                    .parameter("jobName", routeId)
                    .parameter("intervalMillis", Long.toString(instance.refreshIntervalMillis()))
                    .parameter("firstPollDelayMillis", Long.toString(Math.max(FIRST_POLL_DELAY_MILLIS, firstPollDelayMillis)))
                    .add();
            ids.add(routeId);
            LOG.debug("Polling {} every {} ms (route {})", resource.name(), instance.refreshIntervalMillis(), routeId);
        }
        LOG.info("Instance {} ({}): polling {} every {} ms", instance.id(), instance.name(),
                instance.resources().stream().map(ResourceConfig::name).toList(), instance.refreshIntervalMillis());
    }

    /** Stops and removes every route of an instance; camel-quartz deletes each route's trigger with it. */
    public synchronized void stop(long instanceId) throws Exception {
        List<String> ids = running.remove(instanceId);
        for (String id : ids == null ? List.<String>of() : ids) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
    }

    public synchronized void restart(InstanceDefinition instance) throws Exception {
        stop(instance.id());
        start(instance);
    }
}
