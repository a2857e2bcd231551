package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.quartz.spi.MutableTrigger;

import java.util.Date;

/**
 * Keeps camel-quartz from dropping a new resource's first poll. Quartz fires a trigger when it is at most 2 ms
 * away, so a first fire can come a moment before the trigger's start time, and camel-quartz's CamelJob then skips
 * it ("Trigger exists outside StartTime"), leaving the resource unpolled for a whole interval. This listener moves
 * the start time of that one fired copy back to its fire time; the stored trigger is not changed.
 */
public final class EarlyFireTolerance extends TriggerListenerSupport {
    /** Far more than Quartz's 2 ms, far less than any polling interval. */
    static final long TOLERANCE_MILLIS = 1_000;

    /** Adds the listener to the scheduler of the context's quartz component, now or once it starts. */
    public static void install(CamelContext context) {
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(
                scheduler -> scheduler.getListenerManager().addTriggerListener(new EarlyFireTolerance()));
    }

    @Override
    public String getName() {
        return "polling-events-early-fire-tolerance";
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
        Date start = trigger.getStartTime();
        Date fired = context.getFireTime();
        if (start != null && fired != null && fired.before(start) && start.getTime() - fired.getTime() <= TOLERANCE_MILLIS
                && trigger instanceof MutableTrigger copy) {
            copy.setStartTime(fired);
        }
    }
}
