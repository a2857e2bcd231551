package io.pollingevents.support;

import io.pollingevents.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Boots the real application (Camel Main, engine, HTTP API) in-process for end-to-end tests. */
public final class RunningEngine implements AutoCloseable {
    public static final String AUTH = "User test-user, Organization test-org";

    private final Main main;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningEngine(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** H2 file database under dataDir, the given extra properties on top. */
    public static RunningEngine start(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("polling.db.url", "jdbc:h2:file:" + dataDir.resolve("db").toAbsolutePath());
        props.put("polling.secrets.key-file", dataDir.resolve("secrets.key").toString());
        props.putAll(extra);
        return start(props);
    }

    public static RunningEngine start(Map<String, String> properties) throws Exception {
        int port = freePort();
        Main main = Application.newMain();
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("polling.api.user-secret", "test-user");
        main.addOverrideProperty("polling.api.organization-secret", "test-org");
        main.addOverrideProperty("polling.delivery.retry-schedule", "200ms,300ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms");
        main.addOverrideProperty("polling.delivery.jitter", "0");
        main.addOverrideProperty("polling.delivery.poll-interval", "100ms");
        properties.forEach(main::addOverrideProperty);
        Application.configure(main, null);
        main.start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> main.getCamelContext() != null && main.getCamelContext().isStarted());
        return new RunningEngine(main, port);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String api() {
        return "http://127.0.0.1:" + port + "/elements/api-v2/instances";
    }

    public HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api())).header("Authorization", AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> patch(long id, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api() + "/" + id)).header("Authorization", AUTH)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> get(String suffix) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api() + suffix)).header("Authorization", AUTH).GET());
    }

    public HttpResponse<String> delete(long id) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api() + "/" + id)).header("Authorization", AUTH).DELETE());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        main.shutdown();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
