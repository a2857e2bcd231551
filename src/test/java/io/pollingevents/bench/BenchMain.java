package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.pollingevents.bench.BenchSupport.JSON;

/**
 * Runs the whole benchmark (bench/run.sh): starts the loopback hub and receiver in their own JVM, then one JVM
 * per measured program (baseline, engine with default settings, engine with tuned delivery, many resources), each
 * with a hard time limit, and prints the table. Options: {@code --quick} (small sizes, a couple of minutes),
 * {@code --only=a}, {@code --only=b}, {@code --only=c} (or several, e.g. {@code --only=bc}); for (c) also
 * {@code --cluster-loads=ceiling} (fire-rate steps, {@code --ceiling-rates=}) and {@code --cluster-scale=N}
 * ({@code --cluster-xmx=}, {@code --create-cap=}, {@code --cluster-pin=no}), described in bench/README.md.
 */
public final class BenchMain {
    /**
     * Warm-ups of (a) per size, the same for every implementation. After 10 polls of 1,000 records both JVMs were still
     * mostly compiling (JIT 30-60 % of their CPU); the engine's runs level off after about 30, the baseline's (JDK
     * HttpClient) after about 55. The table prints each size's first run and the JIT time of the measured runs.
     */
    static final String WARMUPS = "60,1";
    static final String TUNED = "polling.delivery.concurrency=32,polling.delivery.per-instance=64,polling.delivery.poll-interval=10ms";

    private final Path out = Path.of("target", "bench");
    private final String classpath = System.getProperty("java.class.path");
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<JsonNode> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> load = new ArrayList<>();
    private String hub;
    private String receiver;
    private String control;

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        String only = BenchSupport.arg(args, "only", "abc");
        BenchMain bench = new BenchMain();
        bench.args = args;
        bench.run(quick, only);
    }

    private String[] args = new String[0];

    void run(boolean quick, String only) throws Exception {
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        String started = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        Process servers = startServers();
        try {
            if (only.contains("a")) {
                String sizes = quick ? "1000,10000" : "1000,100000";
                child("baseline", 240, List.of("-Xmx2g"), Baseline.class, common("--sizes=" + sizes, "--warmup=" + WARMUPS,
                        "--runs=10," + (quick ? "2" : "3"), "--timeoutMs=120000"));
                // the shipped settings, warmed up as long as the baseline (JIT)
                child("engine-defaults", 720, engineJvm("engine-defaults"), EngineSinglePoll.class, common("--label=engine-defaults",
                        "--sizes=" + sizes, "--warmup=" + WARMUPS, "--runs=10," + (quick ? "2" : "3"), "--timeoutMs=240000",
                        "--data=" + out.resolve("data-defaults")));
                List<String> tuned = new ArrayList<>(common("--label=engine-tuned", "--sizes=" + sizes, "--warmup=" + WARMUPS, "--runs=7,1",
                        "--timeoutMs=240000", "--data=" + out.resolve("data-tuned")));
                for (String kv : TUNED.split(",")) {
                    tuned.add("--set=" + kv);
                }
                child("engine-tuned", 540, engineJvm("engine-tuned"), EngineSinglePoll.class, tuned);
            }
            if (only.contains("b")) {
                // issue 9: sizes at a 1-minute interval in -Xmx512m, with create/delete, scrape and restart
                for (String size : BenchSupport.arg(args, "scale", quick ? "" : "10000").split(",")) {
                    if (!size.isBlank()) {
                        String xmx = "-Xmx" + BenchSupport.arg(args, "scale-xmx", "512m");
                        String scaleData = "--data=" + out.resolve("data-scale-" + size.trim());
                        child("scale-" + size.trim(), 1800, List.of(xmx, "-Dlog4j2.configurationFile=bench/log4j2-bench.properties",
                                "-Dbench.log=" + out.resolve("scale-" + size.trim() + ".log")), EngineScale.class,
                                common("--resources=" + size.trim(), "--interval=1", scaleData, "--keep-data"));
                        // a restart is a new process on the same database
                        child("scale-" + size.trim() + "-restart", 1200, List.of(xmx, "-Dlog4j2.configurationFile=bench/log4j2-bench.properties",
                                "-Dbench.log=" + out.resolve("scale-" + size.trim() + "-restart.log")), EngineScale.class,
                                common("--resources=" + size.trim(), "--interval=1", "--phase=restart", scaleData));
                    }
                }
            }
            if (only.contains("b") && !BenchSupport.arg(args, "many", "yes").equals("no")) {
                child("many-1000", 330, engineJvm("many-1000"), EngineManyResources.class, common("--resources=1000",
                        "--createCapSeconds=180", "--measureSeconds=" + (quick ? 20 : 60), "--data=" + out.resolve("data-many-1000")));
                child("many-10000", 330, engineJvm("many-10000"), EngineManyResources.class, common("--resources=10000",
                        "--createCapSeconds=" + (quick ? 30 : 120), "--measureSeconds=" + (quick ? 20 : 60),
                        "--data=" + out.resolve("data-many-10000")));
            }
            if (only.contains("c")) {
                cluster(quick);
            }
        } finally {
            stopServers(servers);
        }
        String table = table(started, (System.nanoTime() - t0) / 1e9, quick);
        System.out.println();
        System.out.println(table);
        Path file = out.resolve("results.md");
        Files.writeString(file, table);
        System.out.println("(also written to " + file + "; engine logs in " + out + ")");
    }

    /** Scenario (b) at scale (issue 9): create/delete cost, one 1-minute interval, scrape, restart. */
    private void scaleTable(StringBuilder t) {
        List<JsonNode> restarts = results.stream().filter(r -> "scale-restart".equals(r.path("kind").asText())).toList();
        List<JsonNode> scale = results.stream().filter(r -> "scale".equals(r.path("kind").asText())).map(r -> {
            com.fasterxml.jackson.databind.node.ObjectNode merged = r.deepCopy();
            restarts.stream().filter(x -> x.path("resources").asInt() == r.path("resources").asInt()).findFirst()
                    .ifPresent(x -> x.fields().forEachRemaining(f -> {
                        if (!f.getKey().equals("kind") && !merged.has(f.getKey())) {
                            merged.set(f.getKey(), f.getValue());
                        }
                    }));
            return (JsonNode) merged;
        }).toList();
        if (scale.isEmpty()) {
            return;
        }
        t.append("\n(b) At scale: 10 resources per instance created through the API, interval 1 min, 0-1 new record per poll, "
                + "engine defaults, H2, -Xmx" + scale.get(0).path("maxHeapMiB").asLong() + "m (as the JVM reports it)\n\n");
        t.append("| resources | create: first / last 500 | delete: first / last 500 | polls done / due | lag p50 / p99 / max ms "
                + "| CPU cores busy (ms per poll) | heap after GC | scrape | restart: API / every resource polled |\n");
        t.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (JsonNode r : scale) {
            if (r.has("error")) {
                t.append(String.format(Locale.ROOT, "| %,d | failed: %s ||||||||%n", r.path("resources").asInt(), r.path("error").asText()));
                continue;
            }
            t.append(String.format(Locale.ROOT,
                    "| %,d | %.1f s / %.1f s (%.1fx) | %.1f s / %.1f s (%.1fx) | %,d / %,.0f | %.0f / %.0f / %.0f | %.2f (%.1f) | %.0f MiB "
                            + "| %.1f MB, %.0f ms | %.1f s / %.1f s |%n",
                    r.path("resources").asInt(), r.path("createFirstMs").asDouble() / 1000, r.path("createLastMs").asDouble() / 1000,
                    r.path("createLastMs").asDouble() / r.path("createFirstMs").asDouble(),
                    r.path("deleteFirstMs").asDouble() / 1000, r.path("deleteLastMs").asDouble() / 1000,
                    r.path("deleteLastMs").asDouble() / r.path("deleteFirstMs").asDouble(),
                    r.path("pollsStarted").asInt(), r.path("pollsDue").asDouble(), r.path("lagP50Ms").asDouble(),
                    r.path("lagP99Ms").asDouble(), r.path("lagMaxMs").asDouble(), r.path("cpuCoresBusy").asDouble(),
                    r.path("cpuMsPerPoll").asDouble(), r.path("heapAfterGcMiB").asDouble(), r.path("scrapeBytes").asDouble() / 1e6,
                    r.path("scrapeWorstMs").asDouble(), r.path("restartApiSeconds").asDouble(), r.path("restartAllPolledSeconds").asDouble()));
        }
        t.append("\n");
        for (JsonNode r : scale) {
            t.append(String.format(Locale.ROOT, "%,d resources: created in %.0f s (%.0f s CPU), deleted in %.0f s; %,d Quartz misfires in the window; "
                            + "scrape %,d series; %,d of %,d resources polled again after the restart.%n",
                    r.path("resources").asInt(), r.path("createSeconds").asDouble(), r.path("createCpuSeconds").asDouble(),
                    r.path("deleteSeconds").asDouble(), r.path("misfires").asLong(), r.path("scrapeLines").asLong(),
                    r.path("restartResourcesPolled").asInt(), r.path("resources").asInt()));
        }
    }

    /** Scenario (c): each load on 1 node, then on 2 nodes, on the local PostgreSQL. */
    private void cluster(boolean quick) throws Exception {
        String pgUrl = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = System.getProperty("bench.pg.user", "postgres");
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, "")) {
            c.isValid(5);
        } catch (SQLException e) {
            failures.add("cluster (c): PostgreSQL at " + pgUrl + " is not reachable (" + e.getMessage() + "); start it with "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
            return;
        }
        List<String> settings = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--set=")) {
                settings.add(a.substring(6));
            }
        }
        String loads = BenchSupport.arg(args, "cluster-loads", "schedule,throughput,firerate");
        String nodeCounts = BenchSupport.arg(args, "cluster-nodes", "1,2");
        ClusterBench bench = new ClusterBench(java, classpath, out, hub, receiver, control, pgUrl, pgUser, settings,
                BenchSupport.arg(args, "cluster-xmx", "1g"), Integer.parseInt(BenchSupport.arg(args, "create-cap", "3600")),
                !"no".equals(BenchSupport.arg(args, "cluster-pin", "yes")), receiverDelayMillis());
        int window = quick ? 20 : 45;
        // records per poll of the throughput load: 250 offers about 2,500 new events/s, above the 2,000/s one node must
        // deliver (issue 11); raise it to find delivery's ceiling
        int throughputBurst = Integer.parseInt(BenchSupport.arg(args, "throughput-burst", quick ? "100" : "250"));
        for (ClusterBench.Load scenario : List.of(
                // 50 polls/s, 0-1 new record each
                new ClusterBench.Load("schedule", quick ? 500 : 1000, quick ? "0.16666667" : "0.33333333", 1),
                // 20 polls/s, half of them with 250 new records (--throughput-burst): about 2,500 new events/s
                new ClusterBench.Load("throughput", 100, "0.08333333", throughputBurst),
                // 100 polls/s, 0-1 new record each: how fast the cluster fires
                new ClusterBench.Load("firerate", 200, "0.03333333", 1))) {
            if (!List.of(loads.split(",")).contains(scenario.name())) {
                continue;
            }
            for (String count : nodeCounts.split(",")) {
                clusterPhase(bench, scenario, Integer.parseInt(count.trim()), window);
            }
        }
        if (List.of(loads.split(",")).contains("ceiling")) {
            // the fire-rate ceiling: polls that never find a record, more resources per step until a step falls behind
            // (polls done < 99 % of due, or lag p99 over 1 s); each step a fresh schema. Interval 2 s: an instance's 10
            // resources then ask 5 requests/s of its API key, half SmartRecruiters' limit of 10, so the element's rate
            // limiter (shared between the live nodes) never holds a poll back and the steps measure the scheduler
            for (String count : nodeCounts.split(",")) {
                for (String rate : BenchSupport.arg(args, "ceiling-rates", "100,200,400,800").split(",")) {
                    int perSecond = Integer.parseInt(rate.trim());
                    Map<String, Object> r = clusterPhase(bench, new ClusterBench.Load("ceiling-" + perSecond, 2 * perSecond, "0.03333333", 0),
                            Integer.parseInt(count.trim()), window);
                    if (!keptUp(r)) {
                        break;
                    }
                }
            }
        }
        String scale = BenchSupport.arg(args, "cluster-scale", "");
        if (!scale.isBlank()) {
            // issue 9's cluster size: every resource once an interval (--cluster-scale-interval minutes, default 1), measured
            // over one whole interval; with 2 nodes node A is then SIGKILLed and node B's takeover measured
            String interval = BenchSupport.arg(args, "cluster-scale-interval", "1");
            int scaleWindow = (int) Math.round(Double.parseDouble(interval) * 60);
            for (String count : nodeCounts.split(",")) {
                clusterPhase(bench, new ClusterBench.Load("scale", Integer.parseInt(scale.trim()), interval, 1, true),
                        Integer.parseInt(count.trim()), scaleWindow);
            }
        }
    }

    /** Whether a cluster phase kept up with its schedule: no error, at least 99 % of the due polls, lag p99 at most 1 s. */
    static boolean keptUp(Map<String, Object> r) {
        return !r.containsKey("error") && ((Number) r.get("pollsStarted")).doubleValue() >= 0.99 * ((Number) r.get("pollsDue")).doubleValue()
                && ((Number) r.get("lagP99Ms")).doubleValue() <= 1000;
    }

    /** Runs one cluster load on the given number of nodes, with the machine load of the phase. */
    private Map<String, Object> clusterPhase(ClusterBench bench, ClusterBench.Load scenario, int nodes, int window) throws Exception {
        String name = "cluster-" + scenario.name() + "-" + nodes;
        BenchSupport.log("== " + name + " (" + scenario.resources() + " resources, " + nodes + " node(s))");
        LoadMonitor monitor = new LoadMonitor();
        Map<String, Object> r = bench.run(scenario, nodes, window);
        double[] l = monitor.end();
        load.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |", name, l[0], l[1], l[2], l[3]));
        if (r.containsKey("error")) {
            failures.add(name + ": " + r.get("error"));
        }
        results.add(JSON.valueToTree(r));
        return r;
    }

    /** The engine JVM's options; with BENCH_JFR set, a Flight Recorder profile of the phase goes to target/bench/<phase>.jfr. */
    private List<String> engineJvm(String name) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-Dlog4j2.configurationFile=bench/log4j2-bench.properties",
                "-Dbench.log=" + out.resolve(name + ".log")));
        if (System.getenv("BENCH_JFR") != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + out.resolve(name + ".jfr"));
        }
        return jvm;
    }

    private List<String> common(String... more) {
        List<String> args = new ArrayList<>(List.of("--hub=" + hub, "--receiver=" + receiver, "--control=" + control));
        args.addAll(List.of(more));
        return args;
    }

    /** --receiver-delay-ms: the cluster loads' receiver answers every callback this late (0: at once). */
    private int receiverDelayMillis() {
        return Integer.parseInt(BenchSupport.arg(args, "receiver-delay-ms", "0"));
    }

    private Process startServers() throws Exception {
        // nodelay: without it the JDK HttpServer's Nagle + the client's delayed ACK add ~40 ms to small responses
        Process p = new ProcessBuilder(java, "-Xmx1g", "-Dsun.net.httpserver.nodelay=true", "-cp", classpath,
                LoopbackServers.class.getName(), "30", receiverDelayMillis() > 0 ? "256" : "8")
                .redirectError(out.resolve("servers.err").toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IllegalStateException("loopback servers did not start: " + line + " (see " + out.resolve("servers.err") + ")");
        }
        String[] ports = line.split(" ");
        hub = "http://127.0.0.1:" + ports[1];
        receiver = "http://127.0.0.1:" + ports[2];
        control = "http://127.0.0.1:" + ports[3];
        BenchSupport.log("loopback hub " + hub + ", receiver " + receiver + " (separate JVM, pid " + p.pid() + ")");
        return p;
    }

    private void stopServers(Process p) throws InterruptedException {
        try {
            OutputStream stdin = p.getOutputStream();
            stdin.close();
        } catch (Exception ignored) {
            // destroyed below
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** Runs one program in its own JVM with a hard time limit; collects its RESULT lines. */
    private void child(String name, int limitSeconds, List<String> jvm, Class<?> main, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(main.getName());
        cmd.addAll(args);
        BenchSupport.log("== " + name + " (at most " + limitSeconds + " s)");
        LoadMonitor monitor = new LoadMonitor();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Path log = out.resolve(name + ".out");
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.println(line);
                    w.flush();
                    if (line.startsWith("RESULT ")) {
                        synchronized (results) {
                            results.add(JSON.readTree(line.substring(7)));
                        }
                    } else {
                        System.out.println("   " + name + ": " + line);
                    }
                }
            } catch (Exception e) {
                System.out.println("   " + name + ": output reader failed: " + e);
            }
        }, name + "-output");
        reader.start();
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            failures.add(name + ": stopped at its " + limitSeconds + " s limit");
        } else if (p.exitValue() != 0) {
            failures.add(name + ": exited with " + p.exitValue() + " (see " + log + ")");
        }
        reader.join(5000);
        double[] l = monitor.end();
        load.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |", name, l[0], l[1], l[2], l[3]));
        String dataDir = args.stream().filter(a -> a.startsWith("--data=")).map(a -> a.substring(7)).findFirst().orElse(null);
        if (dataDir != null && !args.contains("--keep-data")) {
            EngineSinglePoll.deleteTree(Path.of(dataDir));
        }
    }

    // ---------------------------------------------------------------- table

    private static String withRange(double median, JsonNode values) {
        if (values.size() < 2) {
            return String.format(Locale.ROOT, "%,.0f", median);
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (JsonNode v : values) {
            min = Math.min(min, v.asDouble());
            max = Math.max(max, v.asDouble());
        }
        return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", median, min, max);
    }

    private void clusterTable(StringBuilder t) {
        List<JsonNode> cluster = results.stream().filter(r -> "cluster".equals(r.path("kind").asText())).toList();
        if (cluster.isEmpty()) {
            return;
        }
        t.append("\n(c) Cluster: the same load on 1 node and on 2 nodes, one PostgreSQL schema, polls split by leased partitions");
        t.append(cluster.get(0).path("pinned").asBoolean() ? ", node i pinned to core i (taskset)\n\n" : ", nodes not pinned\n\n");
        t.append("| load | nodes | resources, interval, records per tick | polls done / due (per node) | lag p50 / p99 / max ms "
                + "| poll run p50 / p99 ms | new records/s | events delivered/s (per node) | outbox pending at end "
                + "| load stopped: pending after (s) | CPU cores busy per node | CPU ms per poll | duplicates |\n");
        t.append("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (JsonNode r : cluster) {
            if (r.has("error")) {
                t.append(String.format(Locale.ROOT, "| %s | %d | failed: %s |||||||||||%n", r.path("load").asText(), r.path("nodes").asInt(),
                        r.path("error").asText()));
                continue;
            }
            t.append(String.format(Locale.ROOT, "| %s | %d | %,d, %.0f s, %d | %,d / %,.0f (%s) | %.0f / %.0f / %.0f | %.0f / %.0f | %.1f | %.1f (%s) | %,.0f | %,d (%.1f s) | %s | %.1f | %d |%n",
                    r.path("load").asText() + (r.path("receiverDelayMs").asInt() > 0
                            ? ", receiver " + r.path("receiverDelayMs").asInt() + " ms" : ""),
                    r.path("nodes").asInt(), r.path("resources").asInt(), r.path("intervalMs").asDouble() / 1000,
                    r.path("burst").asInt(), r.path("pollsStarted").asInt(), r.path("pollsDue").asDouble(), joined(r.path("pollsPerNode"), "%,.0f"),
                    r.path("lagP50Ms").asDouble(), r.path("lagP99Ms").asDouble(), r.path("lagMaxMs").asDouble(),
                    r.path("pollRunP50Ms").asDouble(), r.path("pollRunP99Ms").asDouble(), r.path("recordsCreatedPerSec").asDouble(),
                    r.path("eventsDeliveredPerSec").asDouble(), joined(r.path("deliveredPerNode"), "%,.0f"),
                    r.path("outboxPendingAtEnd").asDouble(), r.path("pendingAfterDrain").asLong(-1), r.path("drainSeconds").asDouble(Double.NaN),
                    joined(r.path("cpuCoresBusyPerNode"), "%.2f"), r.path("cpuMsPerPoll").asDouble(),
                    r.path("duplicates").asLong()));
        }
        t.append("\n");
        for (String name : List.of("schedule", "throughput", "firerate")) {
            JsonNode one = cluster.stream().filter(r -> name.equals(r.path("load").asText()) && r.path("nodes").asInt() == 1 && !r.has("error"))
                    .findFirst().orElse(null);
            JsonNode two = cluster.stream().filter(r -> name.equals(r.path("load").asText()) && r.path("nodes").asInt() == 2 && !r.has("error"))
                    .findFirst().orElse(null);
            if (one != null && two != null) {
                t.append(String.format(Locale.ROOT, "%s, 1 -> 2 nodes: events delivered/s %.1f -> %.1f (%.2fx), polls done %,d -> %,d of %,.0f due, "
                                + "lag p99 %.0f -> %.0f ms.%n", name, one.path("eventsDeliveredPerSec").asDouble(), two.path("eventsDeliveredPerSec").asDouble(),
                        two.path("eventsDeliveredPerSec").asDouble() / one.path("eventsDeliveredPerSec").asDouble(),
                        one.path("pollsStarted").asInt(), two.path("pollsStarted").asInt(), one.path("pollsDue").asDouble(),
                        one.path("lagP99Ms").asDouble(), two.path("lagP99Ms").asDouble()));
            }
        }
        for (JsonNode r : cluster) {
            if (!r.has("error")) {
                t.append(String.format(Locale.ROOT, "%s on %d node(s): lag p99 %.0f ms in the first quarter of the window, %.0f ms in the last.%n",
                        r.path("load").asText(), r.path("nodes").asInt(), r.path("lagP99FirstQuarterMs").asDouble(),
                        r.path("lagP99LastQuarterMs").asDouble()));
            }
        }
        for (int nodes = 1; nodes <= 2; nodes++) {
            int n = nodes;
            List<JsonNode> steps = cluster.stream().filter(r -> r.path("load").asText().startsWith("ceiling-") && r.path("nodes").asInt() == n).toList();
            if (!steps.isEmpty()) {
                JsonNode kept = null;
                JsonNode failed = null;
                for (JsonNode r : steps) {
                    if (keptUp(JSON.convertValue(r, Map.class))) {
                        kept = r;
                    } else if (failed == null) {
                        failed = r;
                    }
                }
                t.append(String.format(Locale.ROOT, "fire-rate ceiling on %d node(s): kept up at %s; %s.%n", n,
                        kept == null ? "no step" : String.format(Locale.ROOT, "%,.0f polls/s", kept.path("pollsDue").asDouble() / kept.path("windowSeconds").asDouble()),
                        failed == null ? "every step kept up" : String.format(Locale.ROOT, "fell behind at %,.0f polls/s (%,d of %,.0f polls done, lag p99 %.0f ms%s)",
                                failed.path("resourcesAsked").asDouble() * 1000 / failed.path("intervalMs").asDouble(), failed.path("pollsStarted").asInt(),
                                failed.path("pollsDue").asDouble(),
                                failed.path("lagP99Ms").asDouble(), failed.has("error") ? ", " + failed.path("error").asText() : "")));
            }
        }
        for (JsonNode r : cluster) {
            if (r.has("heapAfterGcMiBPerNode") && "scale".equals(r.path("load").asText())) {
                t.append(String.format(Locale.ROOT, "scale on %d node(s), -Xmx%s: %,d of %,d resources created through node A in %.0f s; "
                                + "every node ran every route after %s s; heap after GC %s MiB.%n", r.path("nodes").asInt(), r.path("xmx").asText(),
                        r.path("resources").asInt(), r.path("resourcesAsked").asInt(), r.path("createSeconds").asDouble(),
                        r.has("routesSecondsNodeB") ? String.format(Locale.ROOT, "%.0f / %.0f", r.path("routesSecondsNodeA").asDouble(),
                                r.path("routesSecondsNodeB").asDouble()) : String.format(Locale.ROOT, "%.0f", r.path("routesSecondsNodeA").asDouble()),
                        joined(r.path("heapAfterGcMiBPerNode"), "%.0f")));
                JsonNode f = r.path("failover");
                if (f.isObject()) {
                    t.append(String.format(Locale.ROOT, "failover: node A SIGKILLed after the window; node B polled %,d of %,d resources again, "
                                    + "the last %.1f s after the kill (interval %.0f s); its %,d polls since the kill started late by p50 / p99 / max "
                                    + "%.0f / %.0f / %.0f ms.%n", f.path("polledSinceKill").asLong(), f.path("resources").asLong(),
                            f.path("secondsUntilAllPolled").asDouble(), r.path("intervalMs").asDouble() / 1000, f.path("pollsSinceKill").asLong(),
                            f.path("lagP50Ms").asDouble(), f.path("lagP99Ms").asDouble(), f.path("lagMaxMs").asDouble()));
                }
            }
        }
        for (JsonNode r : cluster) {
            if (r.path("misfires").asLong() > 0 || r.path("pollsFailed").asDouble() > 0 || r.path("badSignatures").asLong() > 0) {
                t.append(String.format(Locale.ROOT, "%s on %d node(s): %d Quartz misfires, %.0f failed polls, %d bad signatures%n",
                        r.path("load").asText(), r.path("nodes").asInt(), r.path("misfires").asLong(), r.path("pollsFailed").asDouble(),
                        r.path("badSignatures").asLong()));
            }
        }
    }

    private static String joined(JsonNode values, String format) {
        List<String> parts = new ArrayList<>();
        values.forEach(v -> parts.add(String.format(Locale.ROOT, format, v.asDouble())));
        return String.join(" + ", parts);
    }

    private String table(String started, double seconds, boolean quick) {
        StringBuilder t = new StringBuilder();
        String cpu = System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        t.append(String.format(Locale.ROOT, "polling-events benchmark%s, %s, %s, Java %s, %s; %.0f s in total%n%n",
                quick ? " (--quick)" : "", started, cpu, System.getProperty("java.version"), System.getProperty("os.name"), seconds));
        List<JsonNode> single = results.stream().filter(r -> "single".equals(r.path("kind").asText())).toList();
        if (!single.isEmpty()) {
            t.append("(a) One poll, end to end: Quartz starts the poll -> receiver has every event (median of runs)\n\n");
            t.append("| records | implementation | warm-ups + runs | wall ms, median (min-max) | CPU ms, median (min-max) | JIT compile ms, median | poll phase wall / CPU ms | engine/baseline wall | engine/baseline CPU |\n");
            t.append("|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
            for (JsonNode r : single) {
                JsonNode base = single.stream().filter(b -> "baseline".equals(b.path("impl").asText())
                        && b.path("records").asInt() == r.path("records").asInt()).findFirst().orElse(null);
                boolean isBase = "baseline".equals(r.path("impl").asText());
                String incomplete = r.path("incomplete").isTextual() ? " (" + r.path("incomplete").asText() + ")" : "";
                t.append(String.format(Locale.ROOT, "| %,d | %s%s | %d + %d | %s | %s | %s | %s | %s | %s |%n",
                        r.path("records").asInt(), r.path("impl").asText(), incomplete, r.path("warmups").asInt(), r.path("runs").asInt(),
                        withRange(r.path("wallMs").asDouble(), r.path("walls")), withRange(r.path("cpuMs").asDouble(), r.path("cpus")),
                        r.has("jitMs") ? String.format(Locale.ROOT, "%,.0f", r.path("jitMs").asDouble()) : "-",
                        isBase ? "-" : String.format(Locale.ROOT, "%,.0f / %,.0f", r.path("pollWallMs").asDouble(), r.path("pollCpuMs").asDouble()),
                        isBase || base == null ? "-" : String.format(Locale.ROOT, "**%.1fx**", r.path("wallMs").asDouble() / base.path("wallMs").asDouble()),
                        isBase || base == null ? "-" : String.format(Locale.ROOT, "**%.1fx**", r.path("cpuMs").asDouble() / base.path("cpuMs").asDouble())));
            }
            t.append("\nengine-defaults: shipped application.properties. engine-tuned: ").append(TUNED.replace(",", ", "))
                    .append(".\nCPU = the measuring JVM's process CPU time (all its threads, JIT and GC included); hub and receiver run in another JVM.\n")
                    .append("JIT compile = the JIT compilers' time during a run (CompilationMXBean: elapsed, summed over compiler threads, so at\n")
                    .append("most their CPU, which the CPU column holds). Every implementation gets the same warm-ups: a long-running engine is\n")
                    .append("compiled once, and the first runs of a size measure mostly the compiler:\n");
            for (JsonNode r : single) {
                JsonNode first = r.path("first");
                if (first.isArray() && first.size() == 3) {
                    t.append(String.format(Locale.ROOT, "%s, %,d records, first run at this size: %,.0f ms wall, %,.0f ms CPU, JIT compile %,.0f ms.%n",
                            r.path("impl").asText(), r.path("records").asInt(), first.get(0).asDouble(), first.get(1).asDouble(),
                            first.get(2).asDouble()));
                }
            }
            for (JsonNode r : single) {
                if (r.has("idleCpuMsPerSec") && !r.path("idleCpuMsPerSec").isTextual()) {
                    t.append(String.format(Locale.ROOT, "Idle %s engine before its %,d-record runs: %.0f ms CPU per second (included in its CPU column).%n",
                            r.path("impl").asText(), r.path("records").asInt(), r.path("idleCpuMsPerSec").asDouble()));
                }
            }
            t.append("\n");
        }
        List<JsonNode> many = results.stream().filter(r -> "many".equals(r.path("kind").asText())).toList();
        if (!many.isEmpty()) {
            t.append("(b) Many resources, 10 per instance, interval 10 s, 0-1 new record per poll, engine defaults\n\n");
            t.append("| resources asked / created | create time | window | polls done / due | lag p50 / p99 / max ms | poll run p50 / p99 ms "
                    + "| new records/s | events delivered/s | outbox pending at end | CPU cores busy (ms per poll) | heap after GC |\n");
            t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (JsonNode r : many) {
                if (r.has("error")) {
                    t.append(String.format(Locale.ROOT, "| %,d / %,d | failed: %s |||||||||%n", r.path("resources").asInt(),
                            r.path("resourcesCreated").asInt(), r.path("error").asText()));
                    continue;
                }
                t.append(String.format(Locale.ROOT,
                        "| %,d / %,d | %.0f s (%.0f s CPU) | %.0f s | %,d / %,.0f | %.0f / %.0f / %.0f | %.0f / %.0f | %.1f | %.1f | %,.0f | %.2f (%.1f) | %.0f MiB |%n",
                        r.path("resources").asInt(), r.path("resourcesCreated").asInt(), r.path("createSeconds").asDouble(),
                        r.path("createCpuSeconds").asDouble(), r.path("windowSeconds").asDouble(), r.path("pollsStarted").asInt(),
                        r.path("pollsDue").asDouble(), r.path("lagP50Ms").asDouble(), r.path("lagP99Ms").asDouble(),
                        r.path("lagMaxMs").asDouble(), r.path("pollRunP50Ms").asDouble(), r.path("pollRunP99Ms").asDouble(),
                        r.path("recordsCreatedPerSec").asDouble(), r.path("eventsDeliveredPerSec").asDouble(),
                        r.path("outboxPending").asDouble(), r.path("cpuCoresBusy").asDouble(), r.path("cpuMsPerPoll").asDouble(),
                        r.path("heapAfterGcMiB").asDouble()));
            }
            t.append("\n");
            for (JsonNode r : many) {
                JsonNode blocks = r.path("createSecondsPer100Resources");
                if (blocks.size() > 0) {
                    t.append(String.format(Locale.ROOT, "%,d resources: creating 100 resources (10 instances) through the API took %.1f s at first, %.1f s for the last 100.%n",
                            r.path("resources").asInt(), blocks.get(0).asDouble(), blocks.get(blocks.size() - 1).asDouble()));
                }
                t.append(String.format(Locale.ROOT, "%,d resources: lag p99 %.0f ms in the first quarter of the window, %.0f ms in the last quarter.%n",
                        r.path("resources").asInt(), r.path("lagP99FirstQuarterMs").asDouble(), r.path("lagP99LastQuarterMs").asDouble()));
                if (r.path("resourcesCreated").asInt() < r.path("resources").asInt()) {
                    t.append(String.format(Locale.ROOT, "%,d resources asked: creation through the API stopped at its time cap after %,d;"
                            + " the row measures those.%n", r.path("resources").asInt(), r.path("resourcesCreated").asInt()));
                }
                if (r.path("misfires").asLong() > 0 || r.path("pollsFailed").asDouble() > 0 || r.path("duplicates").asLong() > 0
                        || r.path("badSignatures").asLong() > 0) {
                    t.append(String.format(Locale.ROOT, "%,d resources: %d Quartz misfires, %.0f failed polls, %d duplicate events, %d bad signatures%n",
                            r.path("resources").asInt(), r.path("misfires").asLong(), r.path("pollsFailed").asDouble(),
                            r.path("duplicates").asLong(), r.path("badSignatures").asLong()));
                }
            }
        }
        scaleTable(t);
        clusterTable(t);
        if (!load.isEmpty()) {
            t.append("\nMachine load per phase (CPU cores busy on average; \"other\" = processes that are not this benchmark's, e.g. a build;"
                    + " steal = time the hypervisor gave to other VMs):\n\n| phase | all busy | this benchmark | other | steal |\n|---|--:|--:|--:|--:|\n");
            load.forEach(l -> t.append(l).append('\n'));
        }
        if (!failures.isEmpty()) {
            t.append("\nNot completed:\n");
            failures.forEach(f -> t.append("- ").append(f).append('\n'));
        }
        return t.toString();
    }
}
