package io.pollingevents.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells, for a phase of the benchmark, how busy the machine's CPUs were and how much of that was the benchmark's
 * own processes (this JVM and its children: engine or baseline, hub and receiver); the rest is other load on the
 * machine, which stretches the phase's wall times. A daemon thread samples every 500 ms the CPU time of our
 * processes (a child's last half second before it exits can be missed) and /proc/stat (Linux, USER_HZ = 100).
 */
final class LoadMonitor {
    private static final Map<Long, Long> CPU_BY_PID = new ConcurrentHashMap<>();
    private static volatile boolean started;

    private final long busy0;
    private final long steal0;
    private final long ours0;
    private final long start = System.nanoTime();

    LoadMonitor() {
        startSampler();
        sample();
        long[] s = stat();
        busy0 = s[0];
        steal0 = s[1];
        ours0 = ours();
    }

    /** {busy cores, our cores, other cores, steal cores} averaged over the phase; NaN without /proc/stat. */
    double[] end() {
        sample();
        long[] s = stat();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (s[0] == 0 || seconds <= 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double busy = (s[0] - busy0) / 100.0 / seconds;
        double ours = (ours() - ours0) / 1000.0 / seconds;
        return new double[] {busy, ours, Math.max(0, busy - ours), (s[1] - steal0) / 100.0 / seconds};
    }

    private static synchronized void startSampler() {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(() -> {
            while (true) {
                sample();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-monitor");
        t.setDaemon(true);
        t.start();
    }

    private static void sample() {
        record(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(LoadMonitor::record);
    }

    private static void record(ProcessHandle p) {
        p.info().totalCpuDuration().ifPresent(d -> CPU_BY_PID.merge(p.pid(), d.toMillis(), Math::max));
    }

    private static long ours() {
        return CPU_BY_PID.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {busy ticks, steal ticks} of the "cpu" line of /proc/stat. */
    private static long[] stat() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {busy, steal};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }
}
