package io.pollingevents.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.PollingEngine;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code --demo}: runs the engine against a simulated SmartRecruiters hub and a signature-checking
 * receiver on loopback, creates the instance of {@code examples/smartrecruiters.json} through the API,
 * and changes candidates every few seconds so events can be watched flowing.
 */
public final class Demo {
    static final String SIGNATURE_KEY = "demo-signature-key";
    private static final Path DEMO_DATA = Path.of("data", "demo");

    private final DemoHub hub;
    private final DemoReceiver receiver;
    private final int apiPort;
    private final ScheduledExecutorService changes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-hub-changes");
        t.setDaemon(true);
        return t;
    });
    private PollingEngine engine;

    private Demo(DemoHub hub, DemoReceiver receiver, int apiPort) {
        this.hub = hub;
        this.receiver = receiver;
        this.apiPort = apiPort;
    }

    /** Starts the fake hub and receiver and points the engine at a fresh demo database. */
    public static Demo prepare(Main main) throws IOException {
        deleteRecursively(DEMO_DATA);
        int port = freeOr(Integer.getInteger("camel.server.port", 8080)); // 0 or a busy port: any free port
        System.setProperty("camel.server.port", Integer.toString(port)); // system properties outrank application.properties
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("polling.db.url", "jdbc:h2:file:./data/demo/polling-events");
        main.addOverrideProperty("polling.api.user-secret", "demo-user-secret");
        main.addOverrideProperty("polling.api.organization-secret", "demo-organization-secret");
        DemoHub hub = new DemoHub();
        DemoReceiver receiver = new DemoReceiver(SIGNATURE_KEY, System.out);
        hub.start();
        receiver.start();
        return new Demo(hub, receiver, port);
    }

    public void engineInstalled(PollingEngine engine) {
        this.engine = engine;
    }

    /** Creates the demo instance through the public API, then changes candidates every 2 seconds. */
    public void start() {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode body = (ObjectNode) mapper.readTree(readExample());
            ObjectNode config = (ObjectNode) body.get("configuration");
            config.put("api.key", DemoHub.API_KEY);
            config.put("base.url", hub.baseUrl());
            config.put("event.notification.callback.url", receiver.url());
            config.put("event.notification.signature.key", SIGNATURE_KEY);
            config.put("event.poller.refresh_interval", "0.05");
            body.put("name", "Demo SmartRecruiters instance");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/elements/api-v2/instances"))
                    .header("Authorization", engine.authorizationHeader())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("demo instance was refused: " + response.statusCode() + " " + response.body());
            }
            System.out.println("\ndemo: created instance " + mapper.readTree(response.body()).path("id")
                    + " from examples/smartrecruiters.json; polling " + hub.baseUrl() + " every 3 s, delivering to "
                    + receiver.url());
            System.out.println("demo: API on http://127.0.0.1:" + apiPort + "/elements/api-v2/instances with header 'Authorization: "
                    + engine.authorizationHeader() + "'. Press Ctrl+C to stop.\n");
            changes.scheduleAtFixedRate(() -> System.out.println(hub.tick()), 1, 2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("demo could not start: " + e.getMessage(), e);
        }
    }

    public void stop() {
        changes.shutdownNow();
        hub.stop();
        receiver.stop();
    }

    private static String readExample() throws IOException {
        Path file = Path.of("examples", "smartrecruiters.json");
        if (Files.isRegularFile(file)) {
            return Files.readString(file);
        }
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream("examples/smartrecruiters.json")) {
            if (in == null) {
                throw new IOException("examples/smartrecruiters.json not found");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static int freeOr(int preferred) throws IOException {
        if (preferred == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", preferred));
            return preferred;
        } catch (IOException busy) {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
