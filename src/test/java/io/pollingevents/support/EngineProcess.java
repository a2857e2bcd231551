package io.pollingevents.support;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** The application as a separate JVM (the same classpath as the tests), for crash and shutdown tests. */
public final class EngineProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private EngineProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the engine with the given properties and waits until its API answers. */
    public static EngineProcess start(Path dataDir, Map<String, String> properties, Path log) throws Exception {
        return start(dataDir, properties, log, List.of());
    }

    /** As {@link #start(Path, Map, Path)}, with program arguments such as {@code --demo}. */
    public static EngineProcess start(Path dataDir, Map<String, String> properties, Path log, List<String> args) throws Exception {
        int port = RunningEngine.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dcamel.server.port=" + port);
        command.add("-Dcamel.server.host=127.0.0.1");
        command.add("-Dpolling.db.url=jdbc:h2:file:" + dataDir.resolve("db").toAbsolutePath());
        command.add("-Dpolling.secrets.key-file=" + dataDir.resolve("secrets.key").toAbsolutePath());
        command.add("-Dpolling.api.user-secret=test-user");
        command.add("-Dpolling.api.organization-secret=test-org");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(runtimeClasspath());
        command.add("io.pollingevents.Application");
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir")))
                .start();
        EngineProcess engine = new EngineProcess(process, port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("engine process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(engine.api())).header("Authorization", RunningEngine.AUTH).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
        return engine;
    }

    /** target/classes plus the runtime dependencies, as the jar has them (not the test classpath). */
    static String runtimeClasspath() throws java.io.IOException {
        Path file = Path.of("target", "runtime-classpath.txt");
        String deps = java.nio.file.Files.readString(file).trim();
        return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + deps;
    }

    public String api() {
        return "http://127.0.0.1:" + port + "/elements/api-v2/instances";
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api())).header("Authorization", RunningEngine.AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET of the API (suffix after /instances), the body. */
    public String get(String suffix) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api() + suffix)).header("Authorization", RunningEngine.AUTH)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Camel Main's graceful shutdown; returns the exit code. */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("engine did not stop within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
