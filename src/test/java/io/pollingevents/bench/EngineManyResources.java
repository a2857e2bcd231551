package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario (b): many resources polled at a short interval, in-process. Creates instances of 10 resources each
 * through the API (each resource has its own hub path; the hub adds a new record on every other poll, so a poll
 * returns 0 or 1 new record), waits one interval so that every resource has polled, then measures a fixed window:
 * schedule lag of each poll that starts in the window (Quartz JobListener: start time minus Quartz's scheduled fire
 * time), polls done vs. polls due, events delivered per second (receiver), process CPU, Quartz misfires, and at the
 * end the heap in use after a full GC.
 */
public final class EngineManyResources {
    public static void main(String[] args) throws Exception {
        String hub = BenchSupport.arg(args, "hub", null);
        String receiver = BenchSupport.arg(args, "receiver", null);
        String control = BenchSupport.arg(args, "control", null);
        int resources = Integer.parseInt(BenchSupport.arg(args, "resources", "1000"));
        String intervalMinutes = BenchSupport.arg(args, "interval", "0.16666667");
        long intervalMillis = (long) (Double.parseDouble(intervalMinutes) * 60_000);
        int measureSeconds = Integer.parseInt(BenchSupport.arg(args, "measureSeconds", "60"));
        int createCapSeconds = Integer.parseInt(BenchSupport.arg(args, "createCapSeconds", "180"));
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--set=")) {
                String kv = a.substring(6);
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        int perInstance = 10;
        int instances = resources / perInstance;
        String dataArg = BenchSupport.arg(args, "data", null);
        Path data = dataArg != null ? Files.createDirectories(Path.of(dataArg)) : Files.createTempDirectory("pe-bench-many-");
        String run = "m" + ProcessHandle.current().pid();
        AtomicBoolean measuring = new AtomicBoolean();
        int maxSamples = 2_000_000;
        long[] lags = new long[maxSamples];
        long[] runTimes = new long[maxSamples];
        long[] startTimes = new long[maxSamples];
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "many");
        result.put("resources", resources);
        result.put("intervalMs", intervalMillis);
        try (BenchEngine engine = BenchEngine.start(data, overrides)) {
            engine.listenToPolls(p -> {
                if (measuring.get()) {
                    int i = started.getAndIncrement();
                    if (i < maxSamples) {
                        lags[i] = p.startMillis() - p.scheduledMillis();
                        startTimes[i] = p.startMillis();
                    }
                }
            }, p -> {
                if (measuring.get()) {
                    int i = ended.getAndIncrement();
                    if (i < maxSamples) {
                        runTimes[i] = p.runMillis();
                    }
                }
            });
            // 1. create the instances through the API, bounded in time
            long c0 = System.nanoTime();
            long cpuC0 = BenchSupport.cpuNanos();
            int created = 0;
            java.util.List<Double> blockSeconds = new java.util.ArrayList<>(); // seconds per 10 instances (100 resources)
            long blockStart = c0;
            long createDeadline = System.currentTimeMillis() + createCapSeconds * 1000L;
            for (int n = 0; n < instances; n++) {
                if (System.currentTimeMillis() > createDeadline) {
                    BenchSupport.log("creation stopped at the " + createCapSeconds + " s cap after " + created + " instances");
                    break;
                }
                Map<String, String> res = new LinkedHashMap<>();
                for (int r = 0; r < perInstance; r++) {
                    res.put("res" + r, "/hubs/humancapital/res" + r + "?mode=tick");
                }
                engine.create(BenchEngine.instance("many " + n, run + "-i" + n, hub, receiver + "/cb/" + run + "/i" + n,
                        intervalMinutes, res));
                created++;
                if (created % 10 == 0) {
                    long now = System.nanoTime();
                    blockSeconds.add((now - blockStart) / 1e9);
                    blockStart = now;
                }
                if (created % 100 == 0) {
                    BenchSupport.log(String.format("created %d instances (%d resources) in %.1f s", created, created * perInstance,
                            (System.nanoTime() - c0) / 1e9));
                }
            }
            double createSeconds = (System.nanoTime() - c0) / 1e9;
            double createCpu = (BenchSupport.cpuNanos() - cpuC0) / 1e9;
            int polled = created * perInstance;
            result.put("resourcesCreated", polled);
            result.put("createSeconds", createSeconds);
            result.put("createCpuSeconds", createCpu);
            result.put("createSecondsPer100Resources", blockSeconds);
            BenchSupport.log(String.format("created %d resources in %.1f s (%.1f s CPU); heap after GC %.0f MiB", polled, createSeconds,
                    createCpu, BenchSupport.heapAfterGcMiB()));
            // 2. settle: every resource has polled at least once
            Thread.sleep(Long.parseLong(BenchSupport.arg(args, "settleMs", Long.toString(intervalMillis + 2000))));
            // 3. measure
            JsonNode s0 = BenchSupport.control(control, "/ctl/stats", 5000);
            double ok0 = engine.counter("polling.polls", "outcome", "ok");
            double failed0 = engine.counter("polling.polls", "outcome", "failed");
            double delivered0 = engine.counter("polling.events.delivered");
            long misfires0 = engine.misfires.get();
            long cpu0 = BenchSupport.cpuNanos();
            long t0 = System.nanoTime();
            measuring.set(true);
            for (int sec = 0; sec < measureSeconds; sec++) {
                Thread.sleep(1000);
                if ((sec + 1) % 15 == 0) {
                    BenchSupport.log(String.format("measuring %d s: %d polls started, %d ended", sec + 1, started.get(), ended.get()));
                }
            }
            measuring.set(false);
            long t1 = System.nanoTime();
            long cpu1 = BenchSupport.cpuNanos();
            JsonNode s1 = BenchSupport.control(control, "/ctl/stats", 5000);
            double window = (t1 - t0) / 1e9;
            int n = Math.min(started.get(), maxSamples);
            long[] lagSample = java.util.Arrays.copyOf(lags, n);
            long[] runSample = java.util.Arrays.copyOf(runTimes, Math.min(ended.get(), maxSamples));
            double due = polled * window * 1000.0 / intervalMillis;
            result.put("windowSeconds", window);
            result.put("pollsStarted", n);
            result.put("pollsDue", due);
            result.put("pollsOk", engine.counter("polling.polls", "outcome", "ok") - ok0);
            result.put("pollsFailed", engine.counter("polling.polls", "outcome", "failed") - failed0);
            result.put("misfires", engine.misfires.get() - misfires0);
            result.put("lagP50Ms", BenchSupport.percentile(lagSample, 50));
            result.put("lagP99Ms", BenchSupport.percentile(lagSample, 99));
            result.put("lagMaxMs", BenchSupport.percentile(lagSample, 100));
            long windowStart = System.currentTimeMillis() - (long) (window * 1000);
            long quarter = (long) (window * 250);
            java.util.List<Long> first = new java.util.ArrayList<>();
            java.util.List<Long> last = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (startTimes[i] < windowStart + quarter) {
                    first.add(lagSample[i]);
                } else if (startTimes[i] >= windowStart + 3 * quarter) {
                    last.add(lagSample[i]);
                }
            }
            result.put("lagP99FirstQuarterMs", BenchSupport.percentile(first.stream().mapToLong(Long::longValue).toArray(), 99));
            result.put("lagP99LastQuarterMs", BenchSupport.percentile(last.stream().mapToLong(Long::longValue).toArray(), 99));
            result.put("pollRunP50Ms", BenchSupport.percentile(runSample, 50));
            result.put("pollRunP99Ms", BenchSupport.percentile(runSample, 99));
            result.put("recordsCreatedPerSec", (s1.path("tickCreated").asLong() - s0.path("tickCreated").asLong()) / window);
            result.put("eventsReceivedPerSec", (s1.path("uniqueEvents").asLong() - s0.path("uniqueEvents").asLong()) / window);
            result.put("eventsDeliveredPerSec", (engine.counter("polling.events.delivered") - delivered0) / window);
            result.put("duplicates", s1.path("duplicates").asLong() - s0.path("duplicates").asLong());
            result.put("badSignatures", s1.path("badSignatures").asLong() - s0.path("badSignatures").asLong());
            result.put("cpuSeconds", (cpu1 - cpu0) / 1e9);
            result.put("cpuCoresBusy", (cpu1 - cpu0) / 1e9 / window);
            result.put("cpuMsPerPoll", n == 0 ? Double.NaN : (cpu1 - cpu0) / 1e6 / n);
            result.put("outboxPending", gaugeSum(engine, "polling.outbox.pending"));
            result.put("heapAfterGcMiB", BenchSupport.heapAfterGcMiB());
            result.put("settings", overrides);
            BenchSupport.result(result);
        } catch (Exception | Error e) {
            result.put("error", e.toString());
            BenchSupport.result(result);
            throw e;
        } finally {
            EngineSinglePoll.deleteTree(data);
            BenchSupport.exit();
        }
    }

    static double gaugeSum(BenchEngine engine, String name) {
        double sum = 0;
        for (MeterRegistry registry : engine.context().getRegistry().findByType(MeterRegistry.class)) {
            for (Gauge g : registry.find(name).gauges()) {
                sum += g.value();
            }
        }
        return sum;
    }
}
