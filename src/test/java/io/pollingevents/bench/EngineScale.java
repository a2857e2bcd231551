package io.pollingevents.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario (b) at scale, as issue 9 asks: N resources (10 per instance) created through the API at a 1-minute
 * interval, in an engine JVM of {@code -Xmx512m} on H2. Measures, in order: the create cost of the first and the last
 * 500 resources; one interval of polling (polls done vs due, schedule lag, CPU ms per poll, heap after GC); the
 * Prometheus scrape of /observe/metrics (bytes, ms); then, with {@code --phase=restart} in a new JVM, a restart on the
 * same database (time until the API answers and until every resource has polled again) and deleting every instance
 * through the API (first and last 500).
 */
public final class EngineScale {
    private static final int PER_INSTANCE = 10;
    private static final int EDGE = 500; // resources compared at the start and the end of create and delete

    public static void main(String[] args) throws Exception {
        String hub = BenchSupport.arg(args, "hub", null);
        String receiver = BenchSupport.arg(args, "receiver", null);
        int resources = Integer.parseInt(BenchSupport.arg(args, "resources", "10000"));
        String intervalMinutes = BenchSupport.arg(args, "interval", "1");
        long intervalMillis = (long) (Double.parseDouble(intervalMinutes) * 60_000);
        int measureSeconds = Integer.parseInt(BenchSupport.arg(args, "measureSeconds", Long.toString(intervalMillis / 1000)));
        String dataArg = BenchSupport.arg(args, "data", null);
        boolean restartPhase = BenchSupport.arg(args, "phase", "create").equals("restart");
        if (dataArg != null && !restartPhase) {
            EngineSinglePoll.deleteTree(Path.of(dataArg)); // a run stopped before its restart phase leaves its database
        }
        Path data = dataArg != null ? Files.createDirectories(Path.of(dataArg)) : Files.createTempDirectory("pe-bench-scale-");
        int instances = resources / PER_INSTANCE;
        String run = "s" + ProcessHandle.current().pid();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", restartPhase ? "scale-restart" : "scale");
        result.put("resources", resources);
        result.put("intervalMs", intervalMillis);
        result.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        List<Long> ids = new ArrayList<>();
        boolean keepData = !restartPhase;
        try {
            if (restartPhase) {
                restartAndDelete(data, resources, intervalMillis, result);
                BenchSupport.result(result);
                return;
            }
            // 1. create, timing each instance (10 resources)
            double[] createMs = new double[instances];
            try (BenchEngine engine = BenchEngine.start(data, Map.of())) {
                long c0 = System.nanoTime();
                long cpu0 = BenchSupport.cpuNanos();
                for (int n = 0; n < instances; n++) {
                    Map<String, String> res = new LinkedHashMap<>();
                    for (int r = 0; r < PER_INSTANCE; r++) {
                        res.put("res" + r, "/hubs/humancapital/res" + r + "?mode=tick");
                    }
                    long t = System.nanoTime();
                    ids.add(engine.create(BenchEngine.instance("scale " + n, run + "-i" + n, hub, receiver + "/cb/" + run + "/i" + n,
                            intervalMinutes, res)));
                    createMs[n] = (System.nanoTime() - t) / 1e6;
                    if ((n + 1) % 100 == 0) {
                        BenchSupport.log(String.format("created %,d resources in %.1f s", (n + 1) * PER_INSTANCE, (System.nanoTime() - c0) / 1e9));
                    }
                }
                result.put("createSeconds", (System.nanoTime() - c0) / 1e9);
                result.put("createCpuSeconds", (BenchSupport.cpuNanos() - cpu0) / 1e9);
                result.put("createFirstMs", sum(createMs, 0, EDGE / PER_INSTANCE));
                result.put("createLastMs", sum(createMs, instances - EDGE / PER_INSTANCE, instances));
                result.put("heapAfterCreateMiB", BenchSupport.heapAfterGcMiB());
                BenchSupport.log(String.format("create: first %d resources %.1f s, last %d %.1f s; heap after GC %.0f MiB", EDGE,
                        (double) result.get("createFirstMs") / 1000, EDGE, (double) result.get("createLastMs") / 1000,
                        (double) result.get("heapAfterCreateMiB")));

                // 2. one interval of polling, after one interval to settle
                AtomicBoolean measuring = new AtomicBoolean();
                long[] lags = new long[4 * resources + 1000];
                AtomicInteger started = new AtomicInteger();
                engine.listenToPolls(p -> {
                    if (measuring.get()) {
                        int i = started.getAndIncrement();
                        if (i < lags.length) {
                            lags[i] = p.startMillis() - p.scheduledMillis();
                        }
                    }
                }, p -> { });
                Thread.sleep(intervalMillis + 2_000);
                long misfires0 = engine.misfires.get();
                long cpuM0 = BenchSupport.cpuNanos();
                long t0 = System.nanoTime();
                measuring.set(true);
                Thread.sleep(measureSeconds * 1000L);
                measuring.set(false);
                double window = (System.nanoTime() - t0) / 1e9;
                int n = Math.min(started.get(), lags.length);
                long[] sample = java.util.Arrays.copyOf(lags, n);
                result.put("windowSeconds", window);
                result.put("pollsStarted", n);
                result.put("pollsDue", resources * window * 1000.0 / intervalMillis);
                result.put("misfires", engine.misfires.get() - misfires0);
                result.put("lagP50Ms", BenchSupport.percentile(sample, 50));
                result.put("lagP99Ms", BenchSupport.percentile(sample, 99));
                result.put("lagMaxMs", BenchSupport.percentile(sample, 100));
                result.put("cpuCoresBusy", (BenchSupport.cpuNanos() - cpuM0) / 1e9 / window);
                result.put("cpuMsPerPoll", n == 0 ? Double.NaN : (BenchSupport.cpuNanos() - cpuM0) / 1e6 / n);
                result.put("heapAfterGcMiB", BenchSupport.heapAfterGcMiB());

                // 3. the Prometheus scrape
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String metrics = engine.api().replace("/elements/api-v2/instances", "/observe/metrics");
                long bytes = 0;
                double worstMs = 0;
                for (int i = 0; i < 3; i++) {
                    long s = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(metrics)).timeout(Duration.ofSeconds(60)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    worstMs = Math.max(worstMs, (System.nanoTime() - s) / 1e6);
                    bytes = r.body().length;
                    if (i == 0) {
                        result.put("scrapeLines", new String(r.body()).lines().filter(l -> !l.startsWith("#")).count());
                    }
                }
                result.put("scrapeBytes", bytes);
                result.put("scrapeWorstMs", worstMs);
                BenchSupport.log(String.format("polls %d of %.0f due, lag p99 %s ms; scrape %,d bytes in %.0f ms", n,
                        (double) result.get("pollsDue"), result.get("lagP99Ms"), bytes, worstMs));
            }

            BenchSupport.result(result);
        } catch (Exception | Error e) {
            result.put("error", e.toString());
            BenchSupport.result(result);
            throw e;
        } finally {
            if (!keepData) {
                EngineSinglePoll.deleteTree(data);
            }
            BenchSupport.exit();
        }
    }

    /** Phase 2, a new JVM as after a real restart: the engine on the first phase's database, then every instance deleted. */
    private static void restartAndDelete(Path data, int resources, long intervalMillis, Map<String, Object> result) throws Exception {
        long r0 = System.nanoTime();
        try (BenchEngine engine = BenchEngine.start(data, Map.of())) {
            List<Long> ids = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode instance : engine.list()) {
                ids.add(instance.path("id").asLong());
            }
            result.put("restartApiSeconds", (System.nanoTime() - r0) / 1e9);
            long deadline = System.nanoTime() + 3 * intervalMillis * 1_000_000L;
            int polled = 0;
            while (System.nanoTime() < deadline && (polled = resourcesPolled(engine)) < resources) {
                Thread.sleep(250);
            }
            result.put("restartResourcesPolled", polled);
            result.put("restartAllPolledSeconds", polled < resources ? Double.NaN : (System.nanoTime() - r0) / 1e9);
            result.put("restartHeapAfterGcMiB", BenchSupport.heapAfterGcMiB());
            BenchSupport.log(String.format("restart: API after %.1f s, %,d resources polled after %.1f s",
                    (double) result.get("restartApiSeconds"), polled, (System.nanoTime() - r0) / 1e9));

            // every instance deleted through the API
            double[] deleteMs = new double[ids.size()];
            long d0 = System.nanoTime();
            for (int i = 0; i < ids.size(); i++) {
                long t = System.nanoTime();
                engine.delete(ids.get(i));
                deleteMs[i] = (System.nanoTime() - t) / 1e6;
            }
            result.put("deleteSeconds", (System.nanoTime() - d0) / 1e9);
            result.put("deleteFirstMs", sum(deleteMs, 0, EDGE / PER_INSTANCE));
            result.put("deleteLastMs", sum(deleteMs, ids.size() - EDGE / PER_INSTANCE, ids.size()));
            BenchSupport.log(String.format("deleted %,d instances in %.1f s", ids.size(), (double) result.get("deleteSeconds")));
        }
    }

    /** Resources with at least one poll since this engine started (its polling.polls counters). */
    private static int resourcesPolled(BenchEngine engine) {
        Set<String> polled = new HashSet<>();
        for (MeterRegistry registry : engine.context().getRegistry().findByType(MeterRegistry.class)) {
            for (Counter c : registry.find("polling.polls").counters()) {
                if (c.count() > 0) {
                    polled.add(c.getId().getTag("instance") + "/" + c.getId().getTag("resource"));
                }
            }
        }
        return polled.size();
    }

    private static double sum(double[] values, int from, int to) {
        double s = 0;
        for (int i = Math.max(0, from); i < Math.min(values.length, to); i++) {
            s += values[i];
        }
        return s;
    }
}
