package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.TriggerBuilder;
import org.quartz.spi.OperableTrigger;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The two guards the engine puts around camel-quartz: early first fires and fires during shutdown. */
class QuartzGuardsTest {
    @Test
    void aFireAMomentBeforeTheStartTimeGetsTheFireTimeAsStart() {
        Date start = new Date(1_000_000);
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger().startAt(start).build();
        JobExecutionContext early = context(new Date(start.getTime() - 2));
        new EarlyFireTolerance().triggerFired(trigger, early);
        assertThat(trigger.getStartTime()).isEqualTo(new Date(start.getTime() - 2));
    }

    @Test
    void aFireLongBeforeTheStartTimeIsLeftAlone() {
        Date start = new Date(1_000_000);
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger().startAt(start).build();
        new EarlyFireTolerance().triggerFired(trigger, context(new Date(start.getTime() - 60_000)));
        assertThat(trigger.getStartTime()).isEqualTo(start);
    }

    /** A fired job's context that knows only its fire time. */
    private static JobExecutionContext context(Date fireTime) {
        return (JobExecutionContext) Proxy.newProxyInstance(QuartzGuardsTest.class.getClassLoader(), new Class<?>[] {JobExecutionContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getFireTime")) {
                        return fireTime;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void quartzIsInStandbyBeforeAnyPollRouteStops() throws Exception {
        CamelContext context = new DefaultCamelContext();
        AtomicInteger fires = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz:test/poll?trigger.repeatInterval=20&trigger.repeatCount=-1").routeId("poll").process(e -> fires.incrementAndGet());
            }
        });
        StandbyOnShutdown.install(context);
        List<Boolean> standbyWhenRouteStopped = new CopyOnWriteArrayList<>();
        SimpleEventNotifierSupport watcher = new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.RouteStoppedEvent) {
                    standbyWhenRouteStopped.add(context.getComponent("quartz", QuartzComponent.class).getScheduler().isInStandbyMode());
                }
            }
        };
        context.getManagementStrategy().addEventNotifier(watcher);
        ServiceHelper.startService(watcher);
        context.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fires.get() >= 3);
        context.stop();
        assertThat(standbyWhenRouteStopped).containsExactly(true);
    }
}
