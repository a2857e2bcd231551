package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pollingevents.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Trigger;
import org.quartz.TriggerListener;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static io.pollingevents.bench.BenchSupport.JSON;

/**
 * The real application (Camel Main + PollingEngine, as {@code java -jar} runs it) booted in this JVM, so its
 * CPU time is this process's CPU time; instances are created through the public HTTP API. A Quartz
 * JobListener reports when each poll starts (with Quartz's scheduled fire time) and ends.
 */
final class BenchEngine implements AutoCloseable {
    static final String USER = "bench-user";
    static final String ORG = "bench-org";
    static final String AUTH = "User " + USER + ", Organization " + ORG;

    private final Main main;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final AtomicLong misfires = new AtomicLong();

    /** What a JobListener sees of one poll: job name, scheduled fire time, start (wall ms and nanoTime), process CPU, JIT time. */
    record PollStart(String job, long scheduledMillis, long startMillis, long startNanos, long cpuNanos, long jitMillis) {
    }

    record PollEnd(String job, long scheduledMillis, long endNanos, long cpuNanos, long runMillis) {
    }

    private BenchEngine(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    static BenchEngine start(Path dataDir, Map<String, String> overrides) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Main main = Application.newMain();
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("polling.api.user-secret", USER);
        main.addOverrideProperty("polling.api.organization-secret", ORG);
        main.addOverrideProperty("polling.db.url", "jdbc:h2:file:" + dataDir.resolve("db").toAbsolutePath());
        main.addOverrideProperty("polling.secrets.key-file", dataDir.resolve("secrets.key").toAbsolutePath().toString());
        overrides.forEach(main::addOverrideProperty);
        Application.configure(main, null);
        main.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("engine did not start within 60 s");
            }
            Thread.sleep(50);
        }
        return new BenchEngine(main, port);
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    /** Registers listeners on the Quartz scheduler. */
    void listenToPolls(Consumer<PollStart> onStart, Consumer<PollEnd> onEnd) throws Exception {
        // now, or when the scheduler starts (with the first quartz route)
        context().getComponent("quartz", QuartzComponent.class).addScheduleInitTask(scheduler -> addListeners(scheduler, onStart, onEnd));
    }

    private void addListeners(org.quartz.Scheduler scheduler, Consumer<PollStart> onStart, Consumer<PollEnd> onEnd)
            throws org.quartz.SchedulerException {
        scheduler.getListenerManager().addJobListener(new JobListener() {
            @Override
            public String getName() {
                return "bench-polls";
            }

            @Override
            public void jobToBeExecuted(JobExecutionContext c) {
                onStart.accept(new PollStart(c.getJobDetail().getKey().getName(), c.getScheduledFireTime().getTime(),
                        System.currentTimeMillis(), System.nanoTime(), BenchSupport.cpuNanos(), BenchSupport.jitMillis()));
            }

            @Override
            public void jobExecutionVetoed(JobExecutionContext c) {
            }

            @Override
            public void jobWasExecuted(JobExecutionContext c, JobExecutionException e) {
                onEnd.accept(new PollEnd(c.getJobDetail().getKey().getName(), c.getScheduledFireTime().getTime(),
                        System.nanoTime(), BenchSupport.cpuNanos(), c.getJobRunTime()));
            }
        });
        scheduler.getListenerManager().addTriggerListener(new TriggerListener() {
            @Override
            public String getName() {
                return "bench-misfires";
            }

            @Override
            public void triggerFired(Trigger trigger, JobExecutionContext c) {
            }

            @Override
            public boolean vetoJobExecution(Trigger trigger, JobExecutionContext c) {
                return false;
            }

            @Override
            public void triggerMisfired(Trigger trigger) {
                misfires.incrementAndGet();
            }

            @Override
            public void triggerComplete(Trigger trigger, JobExecutionContext c, Trigger.CompletedExecutionInstruction i) {
            }
        });
    }

    /** Sum of an engine counter (e.g. polling.polls with outcome=ok) over all instances and resources. */
    double counter(String name, String... tags) {
        double sum = 0;
        for (MeterRegistry registry : context().getRegistry().findByType(MeterRegistry.class)) {
            for (Counter c : registry.find(name).tags(tags).counters()) {
                sum += c.count();
            }
        }
        return sum;
    }

    String api() {
        return "http://127.0.0.1:" + port + "/elements/api-v2/instances";
    }

    /** POST /instances; returns the new instance id. */
    long create(ObjectNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api())).header("Authorization", AUTH)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("create instance answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asLong();
    }

    /** GET /instances: every instance, following the API's pages (header elements-next-page-token) where it pages. */
    java.util.List<JsonNode> list() throws Exception {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        String next = null;
        do {
            String query = "?pageSize=200" + (next == null ? "" : "&nextPage=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api() + query)).header("Authorization", AUTH)
                    .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("list instances answered " + r.statusCode() + ": " + r.body());
            }
            JSON.readTree(r.body()).forEach(all::add);
            next = r.headers().firstValue("elements-next-page-token").filter(t -> !t.isBlank()).orElse(null);
        } while (next != null);
        return all;
    }

    void delete(long id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api() + "/" + id)).header("Authorization", AUTH)
                .timeout(Duration.ofSeconds(120)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("delete instance " + id + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    JsonNode get(long id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api() + "/" + id)).header("Authorization", AUTH)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * A SmartRecruiters instance body like examples/smartrecruiters.json, polled through an Open Connectors-shaped
     * hub: the given resources (name to hub path and query before the where clause), the hub at hubBase, the
     * receiver path as callback, signed.
     */
    static ObjectNode instance(String name, String apiKey, String hubBase, String callbackUrl, String intervalMinutes,
                               Map<String, String> resources) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("element").put("key", "smartrecruiters");
        body.put("name", name);
        body.putArray("tags").add("bench");
        ObjectNode config = body.putObject("configuration");
        config.put("api.key", apiKey);
        // the loopback hub answers Open Connectors-shaped (/hubs/... paths, JSON arrays)
        config.put("hub.mode", "openconnectors");
        config.put("openconnectors.user.secret", "bench-user");
        config.put("openconnectors.organization.secret", "bench-org");
        config.put("openconnectors.element.token", apiKey);
        config.put("base.url", hubBase);
        config.put("event.notification.enabled", true);
        config.put("event.vendor.type", "polling");
        config.put("event.notification.callback.url", callbackUrl);
        config.put("event.notification.signature.key", LoopbackServers.SIGNATURE_KEY);
        config.put("event.poller.refresh_interval", intervalMinutes);
        ObjectNode poller = config.putObject("event.poller.configuration");
        resources.forEach((resource, pathAndQuery) -> {
            ObjectNode r = poller.putObject(resource);
            r.put("url", pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?")
                    + "where=updatedAfter='${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}'");
            r.put("idField", "id");
            r.putObject("pagination").put("type", "none"); // the loopback hub answers everything in one page
            ObjectNode dates = r.putObject("datesConfiguration");
            dates.put("updatedDateField", "updatedOn");
            dates.put("updatedDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
            dates.put("updatedDateTimezone", "GMT");
            dates.put("createdDateField", "createdOn");
            dates.put("createdDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
            dates.put("createdDateTimezone", "GMT");
        });
        return body;
    }

    @Override
    public void close() throws Exception {
        main.stop();
        main.shutdown();
    }
}
