package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With a clustered job store any node may fire a new resource's trigger, also a node whose reconciler has not
 * started that resource's route yet; camel-quartz would then find no route and skip the poll for a whole
 * interval. This listener runs the reconciler first, in the firing thread, so the route exists when the job runs.
 */
public final class RouteBeforeFire extends TriggerListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RouteBeforeFire.class);
    private final CamelContext context;
    private final Runnable reconcile;

    private RouteBeforeFire(CamelContext context, Runnable reconcile) {
        this.context = context;
        this.reconcile = reconcile;
    }

    /** Adds the listener to the scheduler of the context's quartz component, now or once it starts. */
    public static void install(CamelContext context, Runnable reconcile) {
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(
                scheduler -> scheduler.getListenerManager().addTriggerListener(new RouteBeforeFire(context, reconcile)));
    }

    @Override
    public String getName() {
        return "polling-events-route-before-fire";
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext fired) {
        String routeId = trigger.getJobKey().getName(); // the job of a resource is named after its route
        if (!routeId.startsWith("instance-") || context.getRoute(routeId) != null) {
            return;
        }
        LOG.info("Trigger {} fired on this node before its route was started here; reconciling instances first", routeId);
        try {
            reconcile.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not reconcile instances before firing {}: {}", routeId, e.getMessage());
        }
    }
}
