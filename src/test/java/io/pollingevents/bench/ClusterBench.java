package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.pollingevents.bench.BenchSupport.JSON;

/**
 * Scenario (c): the same load on a cluster of 1 and of 2 engine nodes (separate JVMs, {@link ClusterNode}) sharing
 * one fresh PostgreSQL schema, splitting the polls by leased partitions. When the machine has 2 cores or more, node i is pinned to
 * core i ({@code taskset}, {@code -XX:ActiveProcessorCount=1}), so 2 nodes have twice the CPU of 1, as two
 * one-core machines would; the hub, the receiver and PostgreSQL are not pinned.
 */
final class ClusterBench {
    /** A load: resources (10 per instance), polling interval, new records per tick (every other poll). */
    /** @param failover with 2 or more nodes: after the window, SIGKILL node A and measure node B taking over */
    record Load(String name, int resources, String intervalMinutes, int burst, boolean failover) {
        Load(String name, int resources, String intervalMinutes, int burst) {
            this(name, resources, intervalMinutes, burst, false);
        }

        long intervalMillis() {
            return (long) (Double.parseDouble(intervalMinutes) * 60_000);
        }
    }

    private final String java;
    private final String classpath;
    private final Path out;
    private final String hub;
    private final String receiver;
    private final String control;
    private final String pgUrl;
    private final String pgUser;
    private final List<String> settings;
    private final String xmx;
    private final int createCapSeconds;
    private final boolean pin;
    private final int receiverDelayMillis;

    /**
     * @param xmx              each node's heap ({@code -Xmx} value, e.g. {@code 1g})
     * @param createCapSeconds node A stops creating resources after this long; the load then runs with those it created
     * @param receiverDelayMillis the receiver answers each callback this late (0: at once)
     */
    ClusterBench(String java, String classpath, Path out, String hub, String receiver, String control, String pgUrl, String pgUser,
                 List<String> settings, String xmx, int createCapSeconds, boolean pin, int receiverDelayMillis) {
        this.pin = pin;
        this.receiverDelayMillis = receiverDelayMillis;
        this.settings = settings;
        this.xmx = xmx;
        this.createCapSeconds = createCapSeconds;
        this.java = java;
        this.classpath = classpath;
        this.out = out;
        this.hub = hub;
        this.receiver = receiver;
        this.control = control;
        this.pgUrl = pgUrl;
        this.pgUser = pgUser;
    }

    /** One node process and the lines it printed. */
    private static final class Node implements AutoCloseable {
        final String name;
        final Process process;
        final Writer stdin;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Node(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        w.println(line);
                        w.flush();
                        if (line.startsWith("RESULT ") || line.startsWith("ROUTES ") || line.startsWith("CREATED ") || line.startsWith("WINDOW ")) {
                            lines.add(line);
                        }
                    }
                } catch (Exception e) {
                    lines.add("FAILED output reader: " + e);
                }
                lines.add("EXITED");
            }, "node-" + name + "-output");
            reader.setDaemon(true);
            reader.start();
        }

        String await(String prefix, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("node " + name + ": no " + prefix + " line within " + seconds + " s");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.equals("EXITED") || line.startsWith("FAILED")) {
                    throw new IllegalStateException("node " + name + " ended before printing " + prefix);
                }
                if (!line.startsWith("RESULT ")) {
                    BenchSupport.log("node " + name + ": " + line);
                }
            }
        }

        void send(String line) throws Exception {
            stdin.write(line + "\n");
            stdin.flush();
        }

        @Override
        public void close() throws Exception {
            try {
                stdin.close();
            } catch (Exception ignored) {
                // the process is gone already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether node i is pinned to core i: asked for ({@code --cluster-pin=no} lets every node use every core) and possible. */
    boolean pinning() {
        return pin && Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    /** Runs the load on a fresh schema with the given number of nodes; returns the merged result. */
    Map<String, Object> run(Load load, int nodes, int measureSeconds) throws Exception {
        String schema = "pe_bench_" + load.name().replace('-', '_') + "_" + nodes + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, "")) {
            c.createStatement().execute("create schema " + schema);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "cluster");
        result.put("load", load.name());
        result.put("nodes", nodes);
        result.put("resources", load.resources());
        result.put("resourcesAsked", load.resources());
        result.put("xmx", xmx);
        result.put("intervalMs", load.intervalMillis());
        result.put("burst", load.burst());
        result.put("receiverDelayMs", receiverDelayMillis);
        result.put("pinned", pinning());
        result.put("settings", settings);
        List<Node> started = new ArrayList<>();
        int resources = load.resources();
        try {
            String run = "c" + load.name() + nodes + "-" + ProcessHandle.current().pid();
            for (int i = 0; i < nodes; i++) {
                String name = String.valueOf((char) ('A' + i));
                List<String> cmd = new ArrayList<>();
                if (pinning()) {
                    cmd.addAll(List.of("/usr/bin/taskset", "-c", Integer.toString(i % Runtime.getRuntime().availableProcessors())));
                }
                cmd.addAll(List.of(java, "-Xmx" + xmx));
                if (pinning()) {
                    cmd.add("-XX:ActiveProcessorCount=1");
                }
                String phase = "cluster-" + load.name() + "-" + nodes + "-node-" + name;
                cmd.addAll(List.of("-Dlog4j2.configurationFile=bench/log4j2-bench.properties", "-Dbench.log=" + out.resolve(phase + ".log"),
                        "-cp", classpath, ClusterNode.class.getName(), "--hub=" + hub, "--receiver=" + receiver, "--node=" + name,
                        "--run=" + run, "--pgUrl=" + pgUrl + "?currentSchema=" + schema, "--pgUser=" + pgUser,
                        "--create=" + (i == 0 ? load.resources() : 0), "--expect=" + resources, "--burst=" + load.burst(),
                        "--interval=" + load.intervalMinutes(), "--createCapSeconds=" + createCapSeconds,
                        "--receiverDelayMs=" + receiverDelayMillis));
                settings.forEach(kv -> cmd.add("--set=" + kv));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                started.add(new Node(name, p, out.resolve(phase + ".out")));
                if (i == 0) {
                    String created = started.get(0).await("CREATED", createCapSeconds + 600L);
                    resources = Integer.parseInt(created.split(" ")[1]);
                    result.put("resources", resources);
                    result.put("createSeconds", Double.parseDouble(created.split(" ")[2]));
                    BenchSupport.log("node A created " + resources + " of " + load.resources() + " resources in " + created.split(" ")[2] + " s");
                }
            }
            for (Node n : started) {
                String routes = n.await("ROUTES", Math.max(600, createCapSeconds));
                BenchSupport.log("node " + n.name + ": " + routes);
                result.put("routesNode" + n.name, Integer.parseInt(routes.split(" ")[1]));
                result.put("routesSecondsNode" + n.name, Double.parseDouble(routes.split(" ")[2]));
            }
            // every resource has polled once, and the backlog of creating routes and of a node joining is gone
            Thread.sleep(Math.max(load.intervalMillis() + 3000, 30_000));
            long t0 = System.currentTimeMillis() + 1000;
            for (Node n : started) {
                n.send("MEASURE " + t0 + " " + measureSeconds);
            }
            Thread.sleep(Math.max(0, t0 - System.currentTimeMillis()));
            JsonNode s0 = BenchSupport.control(control, "/ctl/stats", 5000);
            Thread.sleep(measureSeconds * 1000L);
            JsonNode s1 = BenchSupport.control(control, "/ctl/stats", 5000);
            List<JsonNode> windows = new ArrayList<>();
            for (Node n : started) {
                windows.add(JSON.readTree(n.await("WINDOW ", 60).substring(7)));
            }
            boolean failover = load.failover() && started.size() > 1;
            if (failover) {
                // SIGKILL node A; node B must take over A's partitions and poll every resource
                long killMillis = System.currentTimeMillis();
                started.get(0).process.destroyForcibly();
                started.get(0).process.waitFor(10, TimeUnit.SECONDS);
                BenchSupport.log("node A killed (SIGKILL); node B takes over");
                started.get(1).send("FAILOVER " + killMillis + " " + (load.intervalMillis() / 1000 + 120));
            }
            if (!failover) {
                for (Node n : started) {
                    n.send("DRAIN");
                }
            }
            List<JsonNode> perNode = new ArrayList<>();
            if (failover) {
                perNode.add(windows.get(0)); // killed before its drain
            }
            for (Node n : started.subList(failover ? 1 : 0, started.size())) {
                // after its drain (at most 120 s), and after a failover's wait
                perNode.add(JSON.readTree(n.await("RESULT ", 300 + load.intervalMillis() / 1000 + 120).substring(7)));
            }
            if (failover) {
                result.put("failover", perNode.get(1).path("failover"));
                BenchSupport.log("failover: " + perNode.get(1).path("failover"));
            }
            merge(result, perNode, resources, load, measureSeconds, s0, s1);
        } catch (Exception e) {
            result.put("error", e.getMessage());
            BenchSupport.log("cluster " + load.name() + " with " + nodes + " node(s) failed: " + e.getMessage());
        } finally {
            for (Node n : started) {
                n.close();
            }
            try (Connection c = DriverManager.getConnection(pgUrl, pgUser, "")) {
                c.createStatement().execute("drop schema " + schema + " cascade");
            }
        }
        return result;
    }

    private static void merge(Map<String, Object> result, List<JsonNode> perNode, int resources, Load load, int measureSeconds,
                              JsonNode s0, JsonNode s1) {
        List<Long> lags = new ArrayList<>();
        List<Long> firstQuarter = new ArrayList<>();
        List<Long> lastQuarter = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        List<Integer> polls = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> delivered = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        double failed = 0;
        long misfires = 0;
        for (JsonNode n : perNode) {
            if (n.has("error")) {
                throw new IllegalStateException("node " + n.path("node").asText() + " failed: " + n.path("error").asText());
            }
            n.path("lags").forEach(v -> lags.add(v.asLong()));
            long windowStart = n.path("windowStartMillis").asLong();
            long quarter = measureSeconds * 250L;
            for (int i = 0; i < n.path("lags").size(); i++) {
                long at = n.path("startMillis").get(i).asLong();
                if (at < windowStart + quarter) {
                    firstQuarter.add(n.path("lags").get(i).asLong());
                } else if (at >= windowStart + 3 * quarter) {
                    lastQuarter.add(n.path("lags").get(i).asLong());
                }
            }
            n.path("runs").forEach(v -> runs.add(v.asLong()));
            polls.add(n.path("pollsStarted").asInt());
            cpu.add(n.path("cpuSeconds").asDouble());
            delivered.add(n.path("eventsDelivered").asDouble());
            heap.add(n.path("heapAfterGcMiB").asDouble());
            failed += n.path("pollsFailed").asDouble();
            misfires += n.path("misfires").asLong();
        }
        long[] lagArray = lags.stream().mapToLong(Long::longValue).toArray();
        long[] runArray = runs.stream().mapToLong(Long::longValue).toArray();
        int started = polls.stream().mapToInt(Integer::intValue).sum();
        result.put("windowSeconds", (double) measureSeconds);
        result.put("pollsStarted", started);
        result.put("pollsDue", resources * measureSeconds * 1000.0 / load.intervalMillis());
        result.put("heapAfterGcMiBPerNode", heap);
        result.put("pollsPerNode", polls);
        result.put("lagP50Ms", BenchSupport.percentile(lagArray, 50));
        result.put("lagP99Ms", BenchSupport.percentile(lagArray, 99));
        result.put("lagMaxMs", BenchSupport.percentile(lagArray, 100));
        result.put("lagP99FirstQuarterMs", BenchSupport.percentile(firstQuarter.stream().mapToLong(Long::longValue).toArray(), 99));
        result.put("lagP99LastQuarterMs", BenchSupport.percentile(lastQuarter.stream().mapToLong(Long::longValue).toArray(), 99));
        result.put("pollRunP50Ms", BenchSupport.percentile(runArray, 50));
        result.put("pollRunP99Ms", BenchSupport.percentile(runArray, 99));
        result.put("pollsFailed", failed);
        result.put("misfires", misfires);
        result.put("recordsCreatedPerSec", (s1.path("tickCreated").asLong() - s0.path("tickCreated").asLong()) / (double) measureSeconds);
        result.put("eventsReceivedPerSec", (s1.path("uniqueEvents").asLong() - s0.path("uniqueEvents").asLong()) / (double) measureSeconds);
        result.put("eventsDeliveredPerSec", delivered.stream().mapToDouble(Double::doubleValue).sum() / measureSeconds);
        result.put("deliveredPerNode", delivered);
        result.put("duplicates", s1.path("duplicates").asLong() - s0.path("duplicates").asLong());
        result.put("badSignatures", s1.path("badSignatures").asLong() - s0.path("badSignatures").asLong());
        result.put("cpuCoresBusyPerNode", cpu.stream().map(c -> c / measureSeconds).toList());
        result.put("cpuMsPerPoll", started == 0 ? Double.NaN : cpu.stream().mapToDouble(Double::doubleValue).sum() * 1000 / started);
        result.put("outboxPendingAtEnd", perNode.get(0).path("outboxPending").asDouble());
        // every node stops polling after the window and waits for the shared outbox to empty; the slowest says when
        result.put("pendingAfterDrain", perNode.stream().mapToLong(n -> n.path("pendingAfterDrain").asLong(-1)).max().orElse(-1));
        result.put("drainSeconds", perNode.stream().filter(n -> n.has("drainSeconds")).mapToDouble(n -> n.path("drainSeconds").asDouble())
                .max().orElse(Double.NaN));
    }
}
