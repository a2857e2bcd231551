package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scenario (a) for the engine: one poll of N records, in-process. For each run a fresh instance is created through
 * the API (interval 60 min, so exactly one poll happens), which polls at once. Measured from the moment Quartz starts the poll until the receiver has all N
 * events: wall time (nanoTime) and this JVM's CPU time (engine, JIT, GC; the hub and receiver run in another JVM).
 * The poll phase (hub call, parse, change detection, outbox write, watermark) ends when the Quartz job returns;
 * the rest is delivery from the outbox.
 */
public final class EngineSinglePoll {
    public static void main(String[] args) throws Exception {
        String hub = BenchSupport.arg(args, "hub", null);
        String receiver = BenchSupport.arg(args, "receiver", null);
        String control = BenchSupport.arg(args, "control", null);
        String label = BenchSupport.arg(args, "label", "engine");
        String[] sizes = BenchSupport.arg(args, "sizes", "1000").split(",");
        String[] warmups = BenchSupport.arg(args, "warmup", "3").split(",");
        String[] runs = BenchSupport.arg(args, "runs", "5").split(",");
        long timeout = Long.parseLong(BenchSupport.arg(args, "timeoutMs", "120000"));
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--set=")) {
                String kv = a.substring(6);
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        String dataArg = BenchSupport.arg(args, "data", null);
        Path data = dataArg != null ? Files.createDirectories(Path.of(dataArg)) : Files.createTempDirectory("pe-bench-single-");
        Map<String, BenchEngine.PollStart> starts = new ConcurrentHashMap<>();
        Map<String, BenchEngine.PollEnd> ends = new ConcurrentHashMap<>();
        try (BenchEngine engine = BenchEngine.start(data, overrides)) {
            engine.listenToPolls(p -> starts.put(p.job(), p), p -> ends.put(p.job(), p));
            for (int s = 0; s < sizes.length; s++) {
                int size = Integer.parseInt(sizes[s]);
                int w = Integer.parseInt(warmups[Math.min(s, warmups.length - 1)]);
                int r = Integer.parseInt(runs[Math.min(s, runs.length - 1)]);
                List<Double> walls = new ArrayList<>();
                List<Double> cpus = new ArrayList<>();
                List<Double> pollWalls = new ArrayList<>();
                List<Double> pollCpus = new ArrayList<>();
                List<Double> jits = new ArrayList<>();
                double[] first = null; // the size's first run (JIT still compiling): wall, CPU, JIT ms
                String incomplete = null;
                double idleCpuMsPerSec = Double.NaN;
                for (int i = 0; i < w + r; i++) {
                    if (i == w) {
                        // what the idle engine burns (outbox dispatcher, maintenance, metrics), for reading the CPU column
                        Thread.sleep(1500); // let the last warm-up's after-effects (H2 compaction, JIT) pass
                        long ic0 = BenchSupport.cpuNanos();
                        long it0 = System.nanoTime();
                        Thread.sleep(2000);
                        idleCpuMsPerSec = (BenchSupport.cpuNanos() - ic0) / 1e6 / ((System.nanoTime() - it0) / 1e9);
                    }
                    String path = "/cb/" + label + "-" + ProcessHandle.current().pid() + "-" + size + "-" + i;
                    long id = engine.create(BenchEngine.instance("bench " + size + " #" + i, "bench", hub, receiver + path, "60",
                            Map.of("candidates", "/hubs/humancapital/candidates?count=" + size)));
                    String job = "instance-" + id + "-candidates";
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (!starts.containsKey(job) && System.currentTimeMillis() < deadline) {
                        Thread.sleep(5);
                    }
                    BenchEngine.PollStart start = starts.get(job);
                    if (start == null) {
                        throw new IllegalStateException("the poll of " + job + " did not start within 30 s");
                    }
                    JsonNode got = BenchSupport.awaitEvents(control, path, size, timeout);
                    long t1 = System.nanoTime();
                    long cpu1 = BenchSupport.cpuNanos();
                    double jitMs = BenchSupport.jitMillis() - start.jitMillis();
                    BenchEngine.PollEnd end = ends.get(job);
                    long have = got.path("events").asLong();
                    double wallMs = (t1 - start.startNanos()) / 1e6;
                    double cpuMs = (cpu1 - start.cpuNanos()) / 1e6;
                    double pollWall = end == null ? Double.NaN : (end.endNanos() - start.startNanos()) / 1e6;
                    double pollCpu = end == null ? Double.NaN : (end.cpuNanos() - start.cpuNanos()) / 1e6;
                    BenchSupport.log(String.format("%s %d records, %s %d: wall %.1f ms (poll phase %.1f), cpu %.1f ms (poll phase %.1f,"
                                    + " JIT %.0f), receiver has %d events in %d notifications", label, size, i < w ? "warm-up" : "run", i,
                            wallMs, pollWall, cpuMs, pollCpu, jitMs, have, got.path("notifications").asLong()));
                    if (i == 0) {
                        first = new double[] {wallMs, cpuMs, jitMs};
                    }
                    if (have < size) {
                        incomplete = String.format("receiver had %d of %d events after %d s", have, size, timeout / 1000);
                        BenchSupport.log(label + ": " + incomplete + "; instance: " + engine.get(id));
                        walls.add(wallMs);
                        cpus.add(cpuMs);
                        pollWalls.add(pollWall);
                        pollCpus.add(pollCpu);
                        jits.add(jitMs);
                        engine.delete(id);
                        break;
                    }
                    if (i >= w) {
                        walls.add(wallMs);
                        cpus.add(cpuMs);
                        pollWalls.add(pollWall);
                        pollCpus.add(pollCpu);
                        jits.add(jitMs);
                    }
                    long d0 = System.nanoTime();
                    engine.delete(id);
                    BenchSupport.control(control, "/ctl/drop?prefix=" + path, 5000);
                    System.gc();
                    Thread.sleep(300);
                    BenchSupport.log(String.format("  instance %d deleted in %.0f ms", id, (System.nanoTime() - d0) / 1e6));
                }
                BenchSupport.result(BenchSupport.map("kind", "single", "impl", label, "records", size, "runs", walls.size(),
                        "wallMs", BenchSupport.median(walls), "cpuMs", BenchSupport.median(cpus),
                        "pollWallMs", BenchSupport.median(pollWalls), "pollCpuMs", BenchSupport.median(pollCpus),
                        "idleCpuMsPerSec", idleCpuMsPerSec, "walls", walls, "cpus", cpus, "jitMs", BenchSupport.median(jits),
                        "warmups", w, "first", first, "incomplete", incomplete, "settings", overrides));
            }
        } finally {
            deleteTree(data);
        }
        BenchSupport.exit();
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp dir
        }
    }
}
