package io.pollingevents.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario (c): one engine node of a cluster (PostgreSQL schema, {@code polling.cluster.enabled=true}), driven by
 * BenchMain over stdin/stdout. The node with {@code --create=N} creates N resources (10 per instance) through its
 * API (or as many as it creates within {@code --createCapSeconds}, printed as {@code CREATED n seconds}); every node
 * prints {@code ROUTES n} once its reconciler runs all N routes, then waits for
 * {@code MEASURE <epochMillis> <seconds>}, measures its own polls in that window (Quartz JobListener: start time
 * minus scheduled fire time) and prints them as a {@code WINDOW} line; then {@code DRAIN}, or
 * {@code FAILOVER <killMillis> <seconds>} (another node was SIGKILLed: wait until every resource polled here since),
 * and one RESULT line with its lag samples, CPU, counters and the failover. It exits when stdin closes.
 */
public final class ClusterNode {
    public static void main(String[] args) throws Exception {
        String hub = BenchSupport.arg(args, "hub", null);
        String receiver = BenchSupport.arg(args, "receiver", null);
        String node = BenchSupport.arg(args, "node", "A");
        String run = BenchSupport.arg(args, "run", "c");
        int create = Integer.parseInt(BenchSupport.arg(args, "create", "0"));
        int expect = Integer.parseInt(BenchSupport.arg(args, "expect", "0"));
        int burst = Integer.parseInt(BenchSupport.arg(args, "burst", "1"));
        String intervalMinutes = BenchSupport.arg(args, "interval", "0.16666667");
        int receiverDelayMs = Integer.parseInt(BenchSupport.arg(args, "receiverDelayMs", "0"));
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("polling.db.url", BenchSupport.arg(args, "pgUrl", null));
        overrides.put("polling.db.user", BenchSupport.arg(args, "pgUser", "postgres"));
        overrides.put("polling.db.password", "");
        overrides.put("polling.cluster.enabled", "true");
        overrides.put("polling.node.id", "bench-" + node);
        overrides.put("polling.secrets.key", "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=");
        for (String a : args) {
            if (a.startsWith("--set=")) {
                String kv = a.substring(6);
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        int perInstance = 10;
        Path data = Files.createTempDirectory("pe-bench-node-");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        AtomicBoolean measuring = new AtomicBoolean();
        List<long[]> starts = java.util.Collections.synchronizedList(new ArrayList<>()); // {lag, wallStart}
        List<Long> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        // after the window: every poll's start and lag, and each resource's last start, for a failover (FAILOVER command)
        AtomicBoolean afterWindow = new AtomicBoolean();
        List<long[]> startsAfterWindow = java.util.Collections.synchronizedList(new ArrayList<>()); // {lag, wallStart}
        Map<String, Long> lastStartByJob = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "cluster-node");
        result.put("node", node);
        try (BenchEngine engine = BenchEngine.start(data, overrides)) {
            engine.listenToPolls(p -> {
                if (measuring.get()) {
                    starts.add(new long[] {p.startMillis() - p.scheduledMillis(), p.startMillis()});
                }
                if (afterWindow.get()) {
                    startsAfterWindow.add(new long[] {p.startMillis() - p.scheduledMillis(), p.startMillis()});
                    lastStartByJob.put(p.job(), p.startMillis());
                }
            }, p -> {
                if (measuring.get()) {
                    runs.add(p.runMillis());
                }
            });
            long c0 = System.nanoTime();
            // --createCapSeconds: stop creating at the cap and measure what exists (a size the machine cannot reach)
            long createCap = c0 + Long.parseLong(BenchSupport.arg(args, "createCapSeconds", "3600")) * 1_000_000_000L;
            int created = 0;
            for (int n = 0; n < create / perInstance && System.nanoTime() < createCap; n++) {
                Map<String, String> res = new LinkedHashMap<>();
                for (int r = 0; r < perInstance; r++) {
                    res.put("res" + r, "/hubs/humancapital/res" + r + "?mode=tick&burst=" + burst);
                }
                engine.create(BenchEngine.instance("cluster " + n, run + "-i" + n, hub, receiver + "/cb/" + run + "/i" + n
                        + (receiverDelayMs > 0 ? "?delayMs=" + receiverDelayMs : ""),
                        intervalMinutes, res));
                created += perInstance;
            }
            if (create > 0) {
                System.out.printf("CREATED %d %.1f%n", created, (System.nanoTime() - c0) / 1e9);
                expect = Math.min(expect, created);
            }
            AtomicInteger routes = new AtomicInteger();
            long deadline = System.currentTimeMillis() + 600_000;
            while ((routes.get() < expect) && System.currentTimeMillis() < deadline) {
                routes.set((int) engine.context().getRoutes().stream().filter(r -> r.getRouteId().startsWith("instance-") && !r.getRouteId().equals("instance-reconciler")).count());
                Thread.sleep(200);
            }
            System.out.printf("ROUTES %d %.1f%n", routes.get(), (System.nanoTime() - c0) / 1e9);
            System.out.flush();

            String[] cmd = stdin.readLine().split(" ");
            if (!"MEASURE".equals(cmd[0])) {
                throw new IllegalStateException("expected MEASURE, got " + String.join(" ", cmd));
            }
            long t0 = Long.parseLong(cmd[1]);
            long seconds = Long.parseLong(cmd[2]);
            Thread.sleep(Math.max(0, t0 - System.currentTimeMillis()));
            double ok0 = engine.counter("polling.polls", "outcome", "ok");
            double failed0 = engine.counter("polling.polls", "outcome", "failed");
            double delivered0 = engine.counter("polling.events.delivered");
            long misfires0 = engine.misfires.get();
            long cpu0 = BenchSupport.cpuNanos();
            long n0 = System.nanoTime();
            measuring.set(true);
            Thread.sleep(seconds * 1000);
            measuring.set(false);
            double window = (System.nanoTime() - n0) / 1e9;
            long cpu1 = BenchSupport.cpuNanos();
            List<Long> lags = new ArrayList<>();
            List<Long> startMillis = new ArrayList<>();
            synchronized (starts) {
                for (long[] s : starts) {
                    lags.add(s[0]);
                    startMillis.add(s[1]);
                }
            }
            result.put("windowSeconds", window);
            result.put("windowStartMillis", t0);
            result.put("pollsStarted", lags.size());
            result.put("lags", lags);
            result.put("startMillis", startMillis);
            synchronized (runs) {
                result.put("runs", new ArrayList<>(runs));
            }
            result.put("pollsOk", engine.counter("polling.polls", "outcome", "ok") - ok0);
            result.put("pollsFailed", engine.counter("polling.polls", "outcome", "failed") - failed0);
            result.put("eventsDelivered", engine.counter("polling.events.delivered") - delivered0);
            result.put("misfires", engine.misfires.get() - misfires0);
            result.put("cpuSeconds", (cpu1 - cpu0) / 1e9);
            // counted now: the polling.outbox.pending gauge is refreshed every 5 s, so it showed a moment of the last burst
            result.put("outboxPending", pendingNotifications(overrides.get("polling.db.url"), overrides.get("polling.db.user")));
            result.put("heapAfterGcMiB", BenchSupport.heapAfterGcMiB());
            afterWindow.set(true);
            // BenchMain reads the window before it may SIGKILL another node, then says DRAIN or FAILOVER <killMillis> <seconds>
            System.out.println("WINDOW " + BenchSupport.JSON.writeValueAsString(result));
            System.out.flush();
            String next = stdin.readLine();
            if (next != null && next.startsWith("FAILOVER ")) {
                String[] f = next.split(" ");
                result.put("failover", failover(Long.parseLong(f[1]), Long.parseLong(f[2]), expect, startsAfterWindow, lastStartByJob));
            }
            drain(engine, overrides.get("polling.db.url"), overrides.get("polling.db.user"), result);
            BenchSupport.result(result);
            while (stdin.readLine() != null) {
                // runs until BenchMain closes stdin
            }
        } catch (Exception | Error e) {
            result.put("error", e.toString());
            BenchSupport.result(result);
            throw e;
        } finally {
            EngineSinglePoll.deleteTree(data);
            BenchSupport.exit();
        }
    }

    /**
     * After another node was SIGKILLed at {@code killMillis}: waits until every one of the {@code expect} resources has
     * started a poll here since then (or {@code seconds} pass) and says when that was and how late the fires since the
     * kill ran (a fire of the dead node's resources waits for this node to take over its partitions).
     */
    private static Map<String, Object> failover(long killMillis, long seconds, int expect, List<long[]> startsAfterWindow,
                                                Map<String, Long> lastStartByJob) throws InterruptedException {
        long deadline = killMillis + seconds * 1000;
        long polledSinceKill = 0;
        while (System.currentTimeMillis() < deadline) {
            polledSinceKill = lastStartByJob.values().stream().filter(at -> at >= killMillis).count();
            if (polledSinceKill >= expect) {
                break;
            }
            Thread.sleep(200);
        }
        long allPolledAt = System.currentTimeMillis();
        List<Long> lags = new ArrayList<>();
        synchronized (startsAfterWindow) {
            for (long[] s : startsAfterWindow) {
                if (s[1] >= killMillis) {
                    lags.add(s[0]);
                }
            }
        }
        long[] lagArray = lags.stream().mapToLong(Long::longValue).toArray();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("resources", expect);
        f.put("polledSinceKill", polledSinceKill);
        f.put("secondsUntilAllPolled", polledSinceKill >= expect ? (allPolledAt - killMillis) / 1000.0 : Double.NaN);
        f.put("pollsSinceKill", lags.size());
        f.put("lagP50Ms", BenchSupport.percentile(lagArray, 50));
        f.put("lagP99Ms", BenchSupport.percentile(lagArray, 99));
        f.put("lagMaxMs", BenchSupport.percentile(lagArray, 100));
        return f;
    }

    /**
     * After the window the load stops (this node fires no more polls; those running finish), and the node waits until
     * the whole cluster's outbox has no pending notification: "nothing left pending at the end" is then a count, and
     * the time it took says how far delivery was behind.
     */
    private static void drain(BenchEngine engine, String pgUrl, String pgUser, Map<String, Object> result) throws Exception {
        long d0 = System.nanoTime();
        org.quartz.Scheduler scheduler = engine.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class).getScheduler();
        scheduler.standby();
        long pending = -1;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pgUrl, pgUser, "")) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean polling = !scheduler.getCurrentlyExecutingJobs().isEmpty();
                pending = pendingNotifications(c);
                if (pending == 0 && !polling) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        result.put("pendingAfterDrain", pending);
        result.put("drainSeconds", (System.nanoTime() - d0) / 1e9);
    }

    /** The whole cluster's pending notifications, counted in the shared database. */
    private static long pendingNotifications(String pgUrl, String pgUser) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pgUrl, pgUser, "")) {
            return pendingNotifications(c);
        }
    }

    private static long pendingNotifications(java.sql.Connection c) throws java.sql.SQLException {
        try (var rs = c.createStatement().executeQuery("select count(*) from pe_notification where status = 'PENDING'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
