package io.pollingevents.route;

import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates and removes the Quartz-triggered route of each polled resource from the
 * {@value #TEMPLATE_ID} route template, which is loaded from {@code routes/resource-poller.yaml}
 * (the user's editable copy) or, when that file is absent, from the copy inside the jar.
 */
public final class ResourceRoutes {
    public static final String TEMPLATE_ID = "resource-poller";
    private static final Logger LOG = LoggerFactory.getLogger(ResourceRoutes.class);

    private final CamelContext context;
    private final long startDelayMillis;

    public ResourceRoutes(CamelContext context, long startDelayMillis) {
        this.context = context;
        this.startDelayMillis = startDelayMillis;
    }

    /** Loads the route template from the file if it exists, else from the classpath. */
    public void loadTemplate(Path templateFile) throws Exception {
        String location = templateFile != null && Files.isRegularFile(templateFile)
                ? "file:" + templateFile.toAbsolutePath()
                : "classpath:routes/resource-poller.yaml";
        Resource resource = ResourceHelper.resolveMandatoryResource(context, location);
        PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        if (context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(TEMPLATE_ID) == null) {
            throw new IllegalStateException(location + " does not define the route template '" + TEMPLATE_ID
                    + "'; restore it from the project's routes/resource-poller.yaml");
        }
        LOG.info("Resource route template loaded from {}", location);
    }

    public static String routeId(long instanceId, String resource) {
        return "instance-" + instanceId + "-" + resource;
    }

    /** Starts one route per resource of an instance whose events are enabled. */
    public synchronized void start(InstanceDefinition instance) throws Exception {
        if (!instance.notificationsEnabled()) {
            LOG.info("Instance {} ({}) has event.notification.enabled=false; not polling", instance.id(), instance.name());
            return;
        }
        for (ResourceConfig resource : instance.resources()) {
            String routeId = routeId(instance.id(), resource.name());
            TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                    .routeId(routeId)
                    .parameter("instanceId", Long.toString(instance.id()))
                    .parameter("resource", resource.name())
                    .parameter("jobName", routeId)
                    .parameter("intervalMillis", Long.toString(instance.refreshIntervalMillis()))
                    .parameter("startDelayMillis", Long.toString(startDelayMillis))
                    .add();
            LOG.info("Polling {} every {} ms (route {})", resource.name(), instance.refreshIntervalMillis(), routeId);
        }
    }

    /** Stops and removes every route of an instance. */
    public synchronized void stop(long instanceId) throws Exception {
        String prefix = "instance-" + instanceId + "-";
        List<String> ids = context.getRoutes().stream().map(Route::getRouteId).filter(id -> id.startsWith(prefix)).toList();
        for (String id : ids) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
    }

    public synchronized void restart(InstanceDefinition instance) throws Exception {
        stop(instance.id());
        start(instance);
    }
}
