package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static io.pollingevents.bench.BenchSupport.JSON;

/**
 * Runs the whole benchmark (bench/run.sh): starts the loopback hub and receiver in their own JVM, then one JVM
 * per measured program (baseline, engine with default settings, engine with tuned delivery, many resources), each
 * with a hard time limit, and prints the table. Options: {@code --quick} (small sizes, a couple of minutes),
 * {@code --only=a} or {@code --only=b}.
 */
public final class BenchMain {
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
        String only = BenchSupport.arg(args, "only", "ab");
        new BenchMain().run(quick, only);
    }

    void run(boolean quick, String only) throws Exception {
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        String started = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        Process servers = startServers();
        try {
            if (only.contains("a")) {
                String sizes = quick ? "1000,10000" : "1000,100000";
                child("baseline", 240, List.of("-Xmx2g"), Baseline.class, common("--sizes=" + sizes, "--warmup=10,1",
                        "--runs=10," + (quick ? "2" : "3"), "--timeoutMs=120000"));
                child("engine-defaults", 180, engineJvm("engine-defaults"), EngineSinglePoll.class, common("--label=engine-defaults",
                        "--sizes=1000", "--warmup=4", "--runs=3", "--timeoutMs=60000", "--data=" + out.resolve("data-defaults")));
                List<String> tuned = new ArrayList<>(common("--label=engine-tuned", "--sizes=" + sizes, "--warmup=3,0", "--runs=7,1",
                        "--timeoutMs=240000", "--data=" + out.resolve("data-tuned")));
                for (String kv : TUNED.split(",")) {
                    tuned.add("--set=" + kv);
                }
                child("engine-tuned", 330, engineJvm("engine-tuned"), EngineSinglePoll.class, tuned);
            }
            if (only.contains("b")) {
                child("many-1000", 330, engineJvm("many-1000"), EngineManyResources.class, common("--resources=1000",
                        "--createCapSeconds=180", "--measureSeconds=" + (quick ? 20 : 60), "--data=" + out.resolve("data-many-1000")));
                child("many-10000", 330, engineJvm("many-10000"), EngineManyResources.class, common("--resources=10000",
                        "--createCapSeconds=" + (quick ? 30 : 120), "--measureSeconds=" + (quick ? 20 : 60),
                        "--data=" + out.resolve("data-many-10000")));
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

    private List<String> engineJvm(String name) {
        return List.of("-Xmx2g", "-Dlog4j2.configurationFile=bench/log4j2-bench.properties", "-Dbench.log=" + out.resolve(name + ".log"));
    }

    private List<String> common(String... more) {
        List<String> args = new ArrayList<>(List.of("--hub=" + hub, "--receiver=" + receiver, "--control=" + control));
        args.addAll(List.of(more));
        return args;
    }

    private Process startServers() throws Exception {
        // nodelay: without it the JDK HttpServer's Nagle + the client's delayed ACK add ~40 ms to small responses
        Process p = new ProcessBuilder(java, "-Xmx1g", "-Dsun.net.httpserver.nodelay=true", "-cp", classpath,
                LoopbackServers.class.getName(), "30")
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
        if (dataDir != null) {
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

    private String table(String started, double seconds, boolean quick) {
        StringBuilder t = new StringBuilder();
        String cpu = System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        t.append(String.format(Locale.ROOT, "polling-events benchmark%s, %s, %s, Java %s, %s; %.0f s in total%n%n",
                quick ? " (--quick)" : "", started, cpu, System.getProperty("java.version"), System.getProperty("os.name"), seconds));
        List<JsonNode> single = results.stream().filter(r -> "single".equals(r.path("kind").asText())).toList();
        if (!single.isEmpty()) {
            t.append("(a) One poll, end to end: Quartz starts the poll -> receiver has every event (median of runs)\n\n");
            t.append("| records | implementation | runs | wall ms, median (min-max) | CPU ms, median (min-max) | poll phase wall / CPU ms | engine/baseline wall | engine/baseline CPU |\n");
            t.append("|--:|---|--:|--:|--:|--:|--:|--:|\n");
            for (JsonNode r : single) {
                JsonNode base = single.stream().filter(b -> "baseline".equals(b.path("impl").asText())
                        && b.path("records").asInt() == r.path("records").asInt()).findFirst().orElse(null);
                boolean isBase = "baseline".equals(r.path("impl").asText());
                String incomplete = r.path("incomplete").isTextual() ? " (" + r.path("incomplete").asText() + ")" : "";
                t.append(String.format(Locale.ROOT, "| %,d | %s%s | %d | %s | %s | %s | %s | %s |%n",
                        r.path("records").asInt(), r.path("impl").asText(), incomplete, r.path("runs").asInt(),
                        withRange(r.path("wallMs").asDouble(), r.path("walls")), withRange(r.path("cpuMs").asDouble(), r.path("cpus")),
                        isBase ? "-" : String.format(Locale.ROOT, "%,.0f / %,.0f", r.path("pollWallMs").asDouble(), r.path("pollCpuMs").asDouble()),
                        isBase || base == null ? "-" : String.format(Locale.ROOT, "**%.1fx**", r.path("wallMs").asDouble() / base.path("wallMs").asDouble()),
                        isBase || base == null ? "-" : String.format(Locale.ROOT, "**%.1fx**", r.path("cpuMs").asDouble() / base.path("cpuMs").asDouble())));
            }
            t.append("\nengine-defaults: shipped application.properties. engine-tuned: ").append(TUNED.replace(",", ", "))
                    .append(".\nCPU = the measuring JVM's process CPU time (all its threads, JIT and GC included); hub and receiver run in another JVM.\n");
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
