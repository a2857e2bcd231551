package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.listeners.JobListenerSupport;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one resource route costs to add and to remove as the number of routes grows, counted as the bytes the
 * adding thread allocates (ThreadMXBean), not as time: Camel's own context walks every route on each add, so that
 * count grows with the routes; {@link PollingCamelContext} keeps it flat. Uses routes/resource-poller.yaml with
 * stub beans and the real Quartz component.
 */
class RouteAddCostTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final AtomicInteger POLLS = new AtomicInteger();
    private CamelContext context;
    /** The cost tests poll nothing during the test; the fire test polls at once. */
    private long firstPollDelayMillis = 3_600_000;

    /** Stands in for every bean the template calls; a poll finds no page. */
    public static class StubBean {
        public void begin() {
            POLLS.incrementAndGet();
        }

        public boolean hasNextPage() {
            return false;
        }

        public void prepare() {
        }

        public void read() {
        }

        public void detect() {
        }

        public void collect() {
        }

        public void store() {
        }

        public void succeeded() {
        }

        public void failed() {
        }
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void addingARouteWalksNoOtherRoute() throws Exception {
        start(new PollingCamelContext());
        addRoutes(0, 200);
        long early = bytesPerAdd(200, 300);
        addRoutes(300, 2_900);
        long late = bytesPerAdd(2_900, 3_000);

        long perExistingRoute = (late - early) / 2_700;
        System.out.printf("PollingCamelContext: %,d bytes per add at 200 routes, %,d at 2,900: %,d bytes more per existing route%n",
                early, late, perExistingRoute);
        // was ~30 bytes a route before Camel's check that no other started route consumes the new route's endpoint
        // (InternalRouteStartupManager: a copy of the route list and of their endpoints) stopped listing them all
        assertThat(perExistingRoute).as("bytes per add, growth per existing route").isLessThan(16);
        // the list Camel walks twice on every start (startup order clash, already listed) does not grow either;
        // walking it allocates nothing, so it is counted by its length
        assertThat(context.getCamelContextExtension().getRouteStartupOrder()).as("startup order list").isEmpty();
    }

    @Test
    void stoppingTheContextStopsTemplatedRoutesInTheirStartupOrder() throws Exception {
        PollingCamelContext polling = new PollingCamelContext();
        start(polling);
        addRoutes(0, 3);
        assertThat(polling.getCamelContextExtension().getRouteStartupOrder()).isEmpty();
        java.util.List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
        polling.getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) {
                if (event instanceof org.apache.camel.spi.CamelEvent.RouteStoppedEvent routeStopped) {
                    stopped.add(routeStopped.getRoute().getId());
                }
            }
        });

        polling.getRouteController().stopAllRoutes();

        // handed back to Camel for the stop: every route stopped, the last started first (Camel's reverse order)
        assertThat(stopped).containsExactly(id(2), id(1), id(0));
        assertThat(polling.getCamelContextExtension().getRouteStartupOrder()).extracting(o -> o.getRoute().getId())
                .containsExactlyInAnyOrder(id(0), id(1), id(2));
    }

    @Test
    void twoTemplatedRoutesCannotConsumeOneEndpoint() throws Exception {
        start(new PollingCamelContext());
        add(1);
        // another route id whose template parameters give the same quartz job, as an edited template could
        org.apache.camel.builder.TemplatedRouteBuilder duplicate = TemplatedRouteBuilder.builder(context, ResourceRoutes.TEMPLATE_ID)
                .routeId("instance-1-other").parameter("instanceId", "1").parameter("resource", "other").parameter("jobName", id(1))
                .parameter("intervalMillis", "3600000").parameter("firstPollDelayMillis", Long.toString(firstPollDelayMillis));

        org.assertj.core.api.Assertions.assertThatThrownBy(duplicate::add).hasStackTraceContaining("Multiple consumers for the same endpoint");
        assertThat(context.getRouteController().getRouteStatus(id(1)).isStarted()).isTrue();
    }

    @Test
    void startingARouteRegistersNoEventNotifier() throws Exception {
        // Camel asks each notifier about every exchange event: a notifier per route made each poll cost O(routes)
        assertThat(notifiersAddedBy50RouteStarts(new PollingCamelContext())).isZero();
    }

    @Test
    void camelsOwnContextRegistersAnEventNotifierPerRouteStart() throws Exception {
        // the reason for PollingCamelContext's startup listeners; if a Camel upgrade makes this fail, they may go
        assertThat(notifiersAddedBy50RouteStarts(new DefaultCamelContext())).isGreaterThanOrEqualTo(50);
    }

    /** With platform-http-main's startup summary registered as Camel Main does, the event notifiers 50 route adds leave. */
    private int notifiersAddedBy50RouteStarts(CamelContext camel) throws Exception {
        org.apache.camel.component.platform.http.main.HttpServerSummary.register(camel);
        start(camel);
        int notifiers = camel.getManagementStrategy().getEventNotifiers().size();
        addRoutes(0, 50);
        return camel.getManagementStrategy().getEventNotifiers().size() - notifiers;
    }

    @Test
    void removingARouteWalksNoOtherRoute() throws Exception {
        start(new PollingCamelContext());
        addRoutes(0, 3_000);
        remove(2_999); // the first removal counts the endpoints of every route, once
        long early = bytesPerRemove(2_998, 2_898);
        removeRoutes(2_898, 200);
        long late = bytesPerRemove(200, 100);

        long perExistingRoute = (early - late) / 2_700;
        System.out.printf("PollingCamelContext: %,d bytes per remove at 2,900 routes, %,d at 200: %,d bytes more per existing route%n",
                early, late, perExistingRoute);
        assertThat(perExistingRoute).as("bytes per remove, growth per existing route").isLessThan(64);
    }

    @Test
    void camelsOwnContextWalksEveryRouteOnEachAdd() throws Exception {
        // the reason for PollingCamelContext; if a Camel upgrade makes this fail, the context may not be needed any more
        start(new DefaultCamelContext());
        addRoutes(0, 100);
        long early = bytesPerAdd(100, 150);
        addRoutes(150, 550);
        long late = bytesPerAdd(550, 600);

        long perExistingRoute = (late - early) / 450;
        System.out.printf("DefaultCamelContext: %,d bytes per add at 100 routes, %,d at 550: %,d bytes more per existing route%n",
                early, late, perExistingRoute);
        assertThat(perExistingRoute).as("bytes per add, growth per existing route").isGreaterThan(10_000);
    }

    @Test
    void aRemovedRouteIsGoneWithItsOwnEndpointWhileSharedEndpointsStay() throws Exception {
        PollingCamelContext polling = new PollingCamelContext();
        start(polling);
        addRoutes(0, 3);
        Model model = polling.getCamelContextExtension().getContextPlugin(Model.class);
        int modelRoutes = model.getRouteDefinitions().size();
        assertThat(polling.getRoute(id(1))).isNotNull();
        assertThat(polling.getRouteDefinition(id(1))).isNotNull();
        assertThat(polling.hasEndpoint(quartzUri(1))).isNotNull();

        remove(1);

        assertThat(polling.getRoute(id(1))).isNull();
        assertThat(polling.getRoutes()).extracting(r -> r.getId()).contains(id(0), id(2)).doesNotContain(id(1));
        assertThat(polling.getRouteDefinition(id(1))).isNull();
        assertThat(polling.hasEndpoint(quartzUri(1))).as("the removed route's own endpoint").isNull();
        assertThat(polling.hasEndpoint("http://polling-hub?disableStreamCache=true&throwExceptionOnFailure=false"))
                .as("the hub endpoint the other routes use").isNotNull();
        assertThat(polling.getCamelContextExtension().getRouteStartupOrder()).extracting(o -> o.getRoute().getId()).doesNotContain(id(1));
        assertThat(model.getRouteDefinitions()).as("templated routes are not kept in the model's list").hasSize(modelRoutes);

        add(1); // the same id again
        assertThat(polling.getRoute(id(1))).isNotNull();
        assertThat(polling.getRouteController().getRouteStatus(id(1)).isStarted()).isTrue();
    }

    @Test
    void eachFireFindsItsRouteByTheJobName() throws Exception {
        context = new PollingCamelContext();
        RouteJobFactory.install(context);
        EarlyFireTolerance.install(context);
        Set<Class<?>> jobs = ConcurrentHashMap.newKeySet();
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(scheduler -> scheduler.getListenerManager()
                .addJobListener(new JobListenerSupport() {
                    @Override
                    public String getName() {
                        return "jobs";
                    }

                    @Override
                    public void jobToBeExecuted(JobExecutionContext fired) {
                        jobs.add(fired.getJobInstance().getClass());
                    }
                }));
        start(context);
        firstPollDelayMillis = 500;
        addRoutes(0, 200);

        await().atMost(Duration.ofSeconds(20)).until(() -> POLLS.get() >= 200);
        assertThat(jobs).containsExactly(RouteJobFactory.ByRouteId.class);
    }

    private void start(CamelContext camel) throws Exception {
        context = camel;
        for (String bean : new String[] {"pollStarter", "hubRequest", "hubResponse", "changeDetector", "outboxWriter", "pollOutcome"}) {
            context.getRegistry().bind(bean, new StubBean());
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/resource-poller.yaml"));
        context.start();
        POLLS.set(0);
    }

    private long bytesPerAdd(int from, int to) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        addRoutes(from, to);
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / (to - from);
    }

    private long bytesPerRemove(int from, int downTo) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        removeRoutes(from, downTo);
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / (from - downTo);
    }

    private void addRoutes(int from, int to) {
        for (int i = from; i < to; i++) {
            add(i);
        }
    }

    private void removeRoutes(int from, int downTo) throws Exception {
        for (int i = from; i > downTo; i--) {
            remove(i);
        }
    }

    private void add(int i) {
        TemplatedRouteBuilder.builder(context, ResourceRoutes.TEMPLATE_ID).routeId(id(i))
                .parameter("instanceId", Integer.toString(i)).parameter("resource", "r").parameter("jobName", id(i))
                .parameter("intervalMillis", "3600000").parameter("firstPollDelayMillis", Long.toString(firstPollDelayMillis)).add();
    }

    private void remove(int i) throws Exception {
        context.getRouteController().stopRoute(id(i));
        assertThat(context.removeRoute(id(i))).isTrue();
    }

    private static String id(int i) {
        return ResourceRoutes.routeId(i, "r");
    }

    private static String quartzUri(int i) {
        return "quartz://polling-events/" + id(i) + "?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval=3600000&triggerStartDelay=3600000";
    }
}
