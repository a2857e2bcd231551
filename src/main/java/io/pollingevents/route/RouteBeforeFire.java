package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Predicate;

/**
 * With a clustered job store any node may fire a new resource's trigger, also a node whose reconciler has not
 * started that resource's route yet; camel-quartz would then find no route and skip the poll for a whole
 * interval. This listener runs the reconciler first, in the firing thread, so the route exists when the job runs.
 */
public final class RouteBeforeFire extends TriggerListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RouteBeforeFire.class);
    private final Predicate<String> runsHere;
    private final Runnable reconcile;

    private RouteBeforeFire(Predicate<String> runsHere, Runnable reconcile) {
        this.runsHere = runsHere;
        this.reconcile = reconcile;
    }

    /**
     * Adds the listener to the scheduler of the context's quartz component, now or once it starts.
     *
     * @param runsHere whether this node runs the route of an id; asked on every fire, so it must be cheap and must
     *                 not wait for a lock held while routes are added
     */
    public static void install(CamelContext context, Predicate<String> runsHere, Runnable reconcile) {
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(
                scheduler -> scheduler.getListenerManager().addTriggerListener(new RouteBeforeFire(runsHere, reconcile)));
    }

    @Override
    public String getName() {
        return "polling-events-route-before-fire";
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext fired) {
        String routeId = trigger.getJobKey().getName(); // the job of a resource is named after its route
        if (!routeId.startsWith("instance-") || runsHere.test(routeId)) {
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
