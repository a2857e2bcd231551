package io.pollingevents.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.Postgres;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The same engine on PostgreSQL: Flyway migrates it, events flow, and a restart resumes from its watermark. */
class PostgresStoreTest {
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    Postgres pg;
    RunningEngine engine;

    @BeforeEach
    void start() throws Exception {
        pg = Postgres.freshSchema();
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
        pg.close();
    }

    RunningEngine startEngine() throws Exception {
        return RunningEngine.start(Map.of("polling.db.url", pg.jdbcUrl(), "polling.db.user", Postgres.USER,
                "polling.db.password", "", "polling.db.pool-size", "4"));
    }

    @Test
    void deliversAndResumesAfterRestartOnPostgres() throws Exception {
        Instant now = Instant.now().plusSeconds(20);
        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates"))
                .willReturn(okJson("[" + candidate("a", now.plusSeconds(1), now.plusSeconds(1)) + "]")));
        engine = startEngine();
        var created = engine.post(Seeds.hubExample("smartrecruiters", Map.of("api.key", "k", "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + "/callback", "event.poller.refresh_interval", "0.02")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        engine.close();

        hub.stubFor(get(urlPathEqualTo("/hubs/humancapital/candidates")).willReturn(okJson("["
                + candidate("a", now.plusSeconds(1), now.plusSeconds(1)) + ","
                + candidate("b", now.plusSeconds(2), now.plusSeconds(2)) + "]")));
        int calls = hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/humancapital/candidates"))).size();
        engine = startEngine();
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 2);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/humancapital/candidates"))).size() >= calls + 3);
        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).containsExactly("a", "b");
    }

    @Test
    void storesAndRefreshesOAuthTokensOnPostgres() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"a1\",\"refresh_token\":\"r1\"}")));
        hub.stubFor(post("/Read").willReturn(okJson("{\"Code\":0,\"AbEntry\":{\"Data\":[]}}")));
        engine = startEngine();
        var body = Seeds.example("maximizer");
        body.with("configuration").put("base.url", hub.baseUrl()).put("oauth.token.url", hub.baseUrl() + "/oauth/token")
                .put("event.notification.callback.url", hub.baseUrl() + "/callback").put("event.poller.refresh_interval", "0.02");
        var created = engine.post(body.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer a1"))).isEmpty());
    }
}
