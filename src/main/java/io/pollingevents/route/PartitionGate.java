package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster every node fires every resource's trigger in its own Quartz; this listener vetoes the fires of
 * resources whose partition another node holds ({@link PartitionLeasing}) and pauses their triggers, so each node
 * fires about its share only. Neither costs database work, so the cluster's poll rate is not bound by a shared lock. It must be the only listener that vetoes: Quartz
 * reports the end of a fire only to fires no listener vetoed, and the end is what gives a partition's count back.
 */
public final class PartitionGate extends TriggerListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionGate.class);
    private final PartitionLeasing leasing;

    private PartitionGate(PartitionLeasing leasing) {
        this.leasing = leasing;
    }

    /** Adds the gate to the scheduler of the context's quartz component, now or once it starts. */
    public static void install(CamelContext context, PartitionLeasing leasing) {
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(
                scheduler -> scheduler.getListenerManager().addTriggerListener(new PartitionGate(leasing)));
    }

    @Override
    public String getName() {
        return "polling-events-partition-gate";
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext fired) {
        String routeId = trigger.getJobKey().getName(); // the job of a resource is named after its route
        if (!isResource(routeId) || leasing.tryEnter(routeId)) {
            return false;
        }
        pause(fired, routeId);
        return true;
    }

    @Override
    public void triggerComplete(Trigger trigger, JobExecutionContext fired, Trigger.CompletedExecutionInstruction instruction) {
        String routeId = trigger.getJobKey().getName();
        if (isResource(routeId)) {
            leasing.exit(routeId);
            if (!leasing.owns(routeId)) {
                pause(fired, routeId); // a first poll run here for another node's resource, or a partition handed over
            }
        }
    }

    /**
     * A trigger of another node's partition is paused, so it costs this node nothing until the partition comes back
     * ({@link PartitionLeasing} resumes it; Quartz then fires it at its next slot).
     */
    private void pause(JobExecutionContext fired, String routeId) {
        try {
            fired.getScheduler().pauseTrigger(fired.getTrigger().getKey());
            leasing.pausedHere(routeId);
        } catch (SchedulerException e) {
            LOG.debug("Could not pause the trigger of {}; it fires and is vetoed again: {}", routeId, e.getMessage());
        }
    }

    private static boolean isResource(String routeId) {
        return routeId.startsWith("instance-");
    }
}
