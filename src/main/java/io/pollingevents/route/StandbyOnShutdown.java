package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops Quartz from firing polls as soon as the context begins to stop. Camel stops the poll routes before it
 * shuts the scheduler down; a trigger fired in between finds no route and is dropped. When a context starts, a
 * scheduler a previous context of this JVM left in standby is started again.
 */
public final class StandbyOnShutdown extends SimpleEventNotifierSupport {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyOnShutdown.class);
    private final CamelContext context;

    private StandbyOnShutdown(CamelContext context) {
        this.context = context;
        // a notifier that takes exchange events makes Camel create an event object for every exchange, and the
        // poll's split makes an exchange per record
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }

    public static void install(CamelContext context) {
        StandbyOnShutdown notifier = new StandbyOnShutdown(context);
        context.getManagementStrategy().addEventNotifier(notifier);
        ServiceHelper.startService(notifier); // a context started already does not start notifiers added later
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent || event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        QuartzComponent quartz = context.hasComponent("quartz") instanceof QuartzComponent q ? q : null;
        Scheduler scheduler = quartz != null ? quartz.getScheduler() : null;
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            // Quartz keeps one scheduler per name in the JVM; a context stopped before (tests, Karaf bundle
            // restarts) may have left it in standby, and then no poll of this context would ever fire
            if (scheduler != null && scheduler.isInStandbyMode() && !scheduler.isShutdown()) {
                scheduler.start();
                LOG.info("Quartz taken out of the standby a previous stop left it in");
            }
            return;
        }
        if (scheduler != null && scheduler.isStarted() && !scheduler.isShutdown()) {
            scheduler.standby();
            LOG.info("Quartz put in standby: no new polls start on this node while it stops");
        }
    }
}
