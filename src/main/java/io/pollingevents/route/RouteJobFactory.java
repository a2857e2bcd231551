package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.CamelJob;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Makes each fire of a resource's trigger find its route in one map look-up. camel-quartz's {@link CamelJob} looks
 * for the endpoint of a fired trigger by walking every route of the context on every fire; the engine names a
 * resource's Quartz job after its route, so the job asks the context for that route by id (a map in
 * {@link PollingCamelContext}) and falls back to camel-quartz's walk only when that route is not the trigger's.
 * Whether a job may run concurrently is still decided by the job class camel-quartz stored ({@code StatefulCamelJob}
 * for {@code stateful=true}), which Quartz reads from the job detail, not from the instance made here.
 */
public final class RouteJobFactory extends PropertySettingJobFactory {

    /** Sets this factory on the scheduler of the context's quartz component, now or once it is created. */
    public static void install(CamelContext context) {
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(RouteJobFactory::install);
    }

    static void install(Scheduler scheduler) throws SchedulerException {
        scheduler.setJobFactory(new RouteJobFactory());
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        if (CamelJob.class.isAssignableFrom(bundle.getJobDetail().getJobClass())) {
            return new ByRouteId();
        }
        return super.newJob(bundle, scheduler);
    }

    /** camel-quartz's job, finding its endpoint through the route named like the job. */
    static final class ByRouteId extends CamelJob {
        @Override
        protected QuartzEndpoint lookupQuartzEndpoint(CamelContext camelContext, JobExecutionContext fired) throws JobExecutionException {
            Route route = camelContext.getRoute(fired.getJobDetail().getKey().getName());
            Endpoint endpoint = route == null ? null : route.getEndpoint();
            if (endpoint instanceof QuartzEndpoint quartz && fired.getTrigger().getKey().equals(quartz.getTriggerKey())) {
                return quartz;
            }
            return super.lookupQuartzEndpoint(camelContext, fired);
        }
    }
}
