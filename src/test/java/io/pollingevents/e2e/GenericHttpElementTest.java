package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The generic {@code http} element: any JSON REST API, its URL, records pointer, paging and authentication per instance. */
class GenericHttpElementTest {
    @TempDir
    Path data;
    WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;

    @BeforeEach
    void start() throws Exception {
        api.start();
        api.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        engine = RunningEngine.start(data, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        api.stop();
    }

    String body(Map<String, String> auth) throws Exception {
        ObjectNode body = Seeds.example("smartrecruiters");
        body.with("element").put("key", "http");
        ObjectNode config = body.with("configuration");
        config.remove("api.key");
        auth.forEach(config::put);
        config.put("event.notification.callback.url", api.baseUrl() + "/callback");
        config.put("event.poller.refresh_interval", "0.02");
        ObjectNode tickets = config.with("event.poller.configuration").with("candidates");
        tickets.put("url", api.baseUrl() + "/api/v2/tickets?changedSince=${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}");
        tickets.put("records", "/data/items");
        tickets.putObject("pagination").put("type", "cursor").put("cursorParam", "after").put("cursorPath", "/data/next");
        return body.toString();
    }

    static String ticket(String id, Instant t) {
        String date = SmartRecruitersSeedTest.SR.format(t);
        return "{\"id\":\"" + id + "\",\"createdOn\":\"" + date + "\",\"updatedOn\":\"" + date + "\"}";
    }

    @Test
    void pollsAnyJsonApiWithItsRecordsPointerPagingAndBearerToken() throws Exception {
        Instant t = Instant.now().plusSeconds(30);
        api.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("after", absent())
                .willReturn(okJson("{\"data\":{\"items\":[" + ticket("t1", t) + "],\"next\":\"c2\"}}")));
        api.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("after", equalTo("c2"))
                .willReturn(okJson("{\"data\":{\"items\":[" + ticket("t2", t.plusSeconds(1)) + "]}}")));

        HttpResponse<String> created = engine.post(body(Map.of("http.auth.type", "bearer", "http.auth.value", "tok-123")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("tok-123");

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(api, "/callback").size() >= 2);
        assertThat(Receiver.events(api, "/callback")).extracting(e -> e.path("objectId").asText() + ":" + e.path("eventType").asText())
                .containsExactly("t1:CREATED", "t2:CREATED");
        List<LoggedRequest> calls = api.findAll(getRequestedFor(urlPathEqualTo("/api/v2/tickets")));
        assertThat(calls).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer tok-123"));
        assertThat(calls.get(0).queryParameter("changedSince").isPresent()).isTrue();
    }

    @Test
    void sendsAnApiKeyHeaderOrBasicCredentialsAsTheInstanceChooses() throws Exception {
        api.stubFor(get(urlPathEqualTo("/api/v2/tickets")).willReturn(okJson("{\"data\":{\"items\":[]}}")));
        engine.post(body(Map.of("http.auth.type", "apiKey", "http.auth.header", "X-Api-Token", "http.auth.value", "key-9")));
        engine.post(body(Map.of("http.auth.type", "basic", "http.auth.username", "ann", "http.auth.password", "pw")));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                !api.findAll(getRequestedFor(urlPathEqualTo("/api/v2/tickets")).withHeader("X-Api-Token", equalTo("key-9"))).isEmpty()
                        && !api.findAll(getRequestedFor(urlPathEqualTo("/api/v2/tickets")).withHeader("Authorization",
                        equalTo("Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes())))).isEmpty());
    }

    @Test
    void aMissingCredentialIsRefusedNamingTheKey() throws Exception {
        HttpResponse<String> refused = engine.post(body(Map.of("http.auth.type", "basic", "http.auth.username", "ann")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("configuration['http.auth.password']").contains("required with http.auth.type \\\"basic\\\"");
    }
}
