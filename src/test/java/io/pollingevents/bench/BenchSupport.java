package io.pollingevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the benchmark's programs: CPU time, the control endpoint, results. */
final class BenchSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static final HttpClient CONTROL = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private BenchSupport() {
    }

    /** CPU time of this whole JVM (all threads: application, JIT compiler, GC), in nanoseconds. */
    static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * Milliseconds the JIT compilers spent so far (elapsed, summed over the compiler threads): reported beside
     * {@link #cpuNanos()}, which includes their CPU, so a run whose CPU went to compiling rather than to polling shows as such.
     */
    static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    static JsonNode control(String controlBase, String pathAndQuery, long timeoutMillis) throws Exception {
        HttpResponse<String> r = CONTROL.send(HttpRequest.newBuilder(URI.create(controlBase + pathAndQuery))
                .timeout(Duration.ofMillis(timeoutMillis + 10_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("control " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Blocks until the receiver has count distinct events at path (or the timeout); returns its answer. */
    static JsonNode awaitEvents(String controlBase, String path, long count, long timeoutMillis) throws Exception {
        return control(controlBase, "/ctl/await?path=" + path + "&count=" + count + "&timeoutMs=" + timeoutMillis, timeoutMillis);
    }

    /** Heap in use after a full GC, in MiB. */
    static double heapAfterGcMiB() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(200);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    static void result(Map<String, Object> result) throws Exception {
        System.out.println("RESULT " + JSON.writeValueAsString(result));
        System.out.flush();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Nearest-rank percentile (p in 0..100) of unsorted values. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static String arg(String[] args, String name, String def) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return def;
    }

    /** Ends the JVM at once (no slow graceful shutdown of thousands of routes); dumps a running JFR recording first. */
    static void exit() {
        try {
            for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getDestination() != null) {
                    r.dump(r.getDestination());
                }
            }
        } catch (Exception | Error ignored) {
            // no recording
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }

    static void log(String message) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }
}
