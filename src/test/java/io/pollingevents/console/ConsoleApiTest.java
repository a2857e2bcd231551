package io.pollingevents.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's files under a strict Content-Security-Policy, and the API calls the console makes, over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    String root;

    @BeforeAll
    void start() throws Exception {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        engine = RunningEngine.start(Files.createTempDirectory("pe-console-api"), Map.of());
        root = engine.api().replace("/elements/api-v2/instances", "");
    }

    @AfterAll
    void stop() throws Exception {
        engine.close();
        hub.stop();
    }

    HttpResponse<String> raw(String path, boolean authorized) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path)).GET();
        if (authorized) {
            request.header("Authorization", RunningEngine.AUTH);
        }
        return engine.send(request);
    }

    long create(String name, String apiKey) throws Exception {
        var body = Seeds.json(Seeds.example("smartrecruiters", Map.of("api.key", apiKey, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02")));
        body.put("name", name);
        var response = engine.post(body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Seeds.id(response.body());
    }

    @Test
    void consoleFilesComeWithAStrictContentSecurityPolicyAndNoInlineCode() throws Exception {
        HttpResponse<String> page = raw("/console/", false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style").doesNotContain(" style=")
                .doesNotContain("http://").doesNotContain("https://");

        assertThat(raw("/console", false).statusCode()).isEqualTo(302);
        assertThat(raw("/console/lib/uplot/uPlot.iife.min.js", false).headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(raw("/console/js/app.js", false).statusCode()).isEqualTo(200);
        assertThat(raw("/console/%2e%2e/application.properties", false).statusCode()).isEqualTo(404);
        assertThat(raw("/console/..%2fapplication.properties", false).statusCode()).isEqualTo(404);
        assertThat(raw("/console/no-such-file.js", false).statusCode()).isEqualTo(404);
    }

    @Test
    void theConsoleScriptsNeverParseDataAsMarkup() throws Exception {
        List<Path> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/console/js"))) {
            files.filter(p -> p.toString().endsWith(".js")).forEach(scripts::add);
        }
        assertThat(scripts).isNotEmpty();
        for (Path script : scripts) {
            assertThat(Files.readString(script)).as(script.toString())
                    .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML").doesNotContain("eval(");
        }
    }

    @Test
    void engineStatusNeedsTheSecretsAndShowsVersionNodeAndHealth() throws Exception {
        assertThat(raw("/elements/api-v2/engine", false).statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(raw("/elements/api-v2/engine", true).body());
        assertThat(status.path("version").asText()).as("the pom's version").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(status.path("nodeId").asText()).isNotBlank();
        assertThat(status.path("cluster").asBoolean()).isFalse();
        assertThat(status.path("health").asText()).isEqualTo("UP");
    }

    @Test
    void elementsListTheKeysAFormNeedsAndExamplesWithoutSecrets() throws Exception {
        JsonNode elements = JSON.readTree(raw("/elements/api-v2/elements", true).body());
        assertThat(elements).extracting(e -> e.path("key").asText()).contains("maximizer", "smartrecruiters");
        JsonNode sr = null;
        for (JsonNode element : elements) {
            sr = element.path("key").asText().equals("smartrecruiters") ? element : sr;
        }
        assertThat(sr.path("configuration").get(0).toString()).isEqualTo("{\"key\":\"api.key\",\"required\":true,\"secret\":true}");
        assertThat(sr.path("example").path("configuration").path("api.key").asText()).isEmpty();
        assertThat(sr.path("example").path("configuration").path("event.notification.signature.key").asText()).isEmpty();
        assertThat(sr.path("example").path("configuration").path("event.poller.configuration").has("candidates")).isTrue();
    }

    @Test
    void listPagesCarryTheNextPageTokenHeader() throws Exception {
        for (int i = 0; i < 3; i++) {
            create("paged-" + i, "paged-key");
        }
        HttpResponse<String> first = engine.get("?pageSize=2&search=paged-");
        assertThat(JSON.readTree(first.body())).hasSize(2);
        String token = first.headers().firstValue("elements-next-page-token").orElseThrow();
        HttpResponse<String> second = engine.get("?pageSize=2&search=paged-&nextPage=" + token);
        assertThat(JSON.readTree(second.body())).extracting(i -> i.path("name").asText()).containsExactly("paged-2");
        assertThat(second.headers().firstValue("elements-next-page-token")).isEmpty();
        assertThat(engine.get("?pageSize=501").statusCode()).isEqualTo(400);
    }

    @Test
    void activityAndNotificationShowWhatWasFoundAndDelivered() throws Exception {
        Instant later = Instant.now().plusSeconds(30);
        String record = "{\"id\":\"act-1\",\"createdOn\":\"" + SR.format(later) + "\",\"updatedOn\":\"" + SR.format(later) + "\"}";
        hub.stubFor(get(urlPathEqualTo("/candidates")).withHeader("X-SmartToken", equalTo("activity-key"))
                .willReturn(okJson("{\"content\":[" + record + "]}")));
        long id = create("activity", "activity-key");
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.get("/" + id + "/events?status=delivered").body().contains("act-1"));

        JsonNode minutes = JSON.readTree(engine.get("/" + id + "/activity?minutes=5").body()).path("minutes");
        assertThat(minutes).hasSize(5);
        long found = 0;
        long delivered = 0;
        for (JsonNode minute : minutes) {
            found += minute.path("found").asLong();
            delivered += minute.path("delivered").asLong();
        }
        assertThat(found).isEqualTo(1);
        assertThat(delivered).isEqualTo(1);
        assertThat(minutes).anySatisfy(m -> assertThat(m.path("latencyMaxMs").isNumber()).isTrue());
        assertThat(engine.get("/" + id + "/activity?minutes=0").statusCode()).isEqualTo(400);

        String eventId = JSON.readTree(engine.get("/" + id + "/events").body()).get(0).path("id").asText();
        JsonNode notification = JSON.readTree(engine.get("/" + id + "/events/" + eventId + "/notification").body());
        assertThat(notification.path("message").path("events").get(0).path("objectId").asText()).isEqualTo("act-1");
        assertThat(engine.get("/" + id + "/events/no-such-event/notification").statusCode()).isEqualTo(404);
    }
}
