package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitPolledSince;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.awaitSettled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Maximizer seed body (OAuth2, ${date:...}, two resources) against a WireMock hub, token endpoint and receiver. */
class MaximizerSeedTest {
    static final DateTimeFormatter MAX = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;

    @BeforeEach
    void start() throws Exception {
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .withRequestBody(containing("code=grant-code-1"))
                .withRequestBody(containing("client_id=RandOMAPI-key"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":3600}")));
        engine = RunningEngine.start(data, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        hub.stop();
    }

    static String contact(String key, Instant modified, String zone) {
        return "{\"Key\":\"" + key + "\",\"Name\":\"N" + key + "\",\"LastModifyDate\":\""
                + MAX.format(modified.atZone(ZoneOffset.of(zone))) + "\"}";
    }

    String body(String timezone) throws Exception {
        var body = Seeds.example("maximizer");
        body.with("providerData").put("code", "grant-code-1");
        var config = body.with("configuration");
        config.put("base.url", hub.baseUrl());
        config.put("oauth.token.url", hub.baseUrl() + "/oauth/token");
        config.put("event.notification.callback.url", hub.baseUrl() + "/callback");
        config.put("event.notification.signature.key", "max-key");
        config.put("event.poller.refresh_interval", 0.02);
        if (timezone != null) {
            config.put("event.poller.timezone", timezone);
        }
        return body.toString();
    }

    @Test
    void exchangesCodeAndPollsBothResourcesWithBearerToken() throws Exception {
        Instant now = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).withHeader("Authorization", equalTo("Bearer access-1"))
                .willReturn(okJson("[" + contact("k1", now.plusSeconds(2), "+02:00") + "," + contact("k0", now.minusSeconds(600), "Z") + "]")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/companies")).withHeader("Authorization", equalTo("Bearer access-1"))
                .willReturn(okJson("[" + contact("co1", now.plusSeconds(3), "Z") + "]")));

        HttpResponse<String> created = engine.post(body(null));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("fak3AP1-s3Cr3t").doesNotContain("grant-code-1").doesNotContain("access-1");
        Instant createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());
        long id = Seeds.id(created.body());

        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 2);
        // both resources polled the same answers again and nothing is pending: nothing more will arrive
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        List<JsonNode> events = Receiver.events(hub, "/callback");
        assertThat(events).extracting(e -> e.path("objectType").asText() + "/" + e.path("objectId").asText() + ":" + e.path("eventType").asText())
                .containsExactlyInAnyOrder("contacts/k1:UPDATED", "companies/co1:UPDATED");
        for (LoggedRequest r : Receiver.requests(hub, "/callback")) {
            assertThat(r.getHeader("Elements-Webhook-Signature")).isEqualTo(Receiver.expectedSignature("max-key", r.getBody()));
        }
        // ${date:yyyy-MM-dd'T'HH:mm:ssXXX} in UTC renders 'Z'; the hub receives exactly the rendered value
        LoggedRequest first = hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))).get(0);
        assertThat(first.queryParameter("where").firstValue())
                .isEqualTo("LastModifyDate>'" + MAX.format(createdAt.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC)) + "'");
        hub.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void rendersDatePlaceholderInTheInstanceTimeZoneWithEncodedOffset() throws Exception {
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).willReturn(okJson("[]")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/companies")).willReturn(okJson("[]")));
        HttpResponse<String> created = engine.post(body("+05:30"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Instant createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());

        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))).isEmpty());
        LoggedRequest first = hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))).get(0);
        String expected = "LastModifyDate>'" + MAX.format(createdAt.atZone(ZoneOffset.of("+05:30"))) + "'";
        assertThat(expected).contains("+05:30");
        assertThat(first.queryParameter("where").firstValue()).isEqualTo(expected);
        assertThat(first.getUrl()).contains("%2B05%3A30");
    }

    @Test
    void refreshesExpiredAccessTokenAndAfter401() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson("{\"access_token\":\"access-2\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).willReturn(aResponse().withStatus(401)));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(okJson("[]")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/companies")).willReturn(okJson("[]")));
        assertThat(engine.post(body(null)).statusCode()).isEqualTo(200);

        // expires_in=1: the first poll already refreshes; the hub sees the new token
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))
                .withHeader("Authorization", equalTo("Bearer access-2"))).isEmpty());
        hub.verify(0, getRequestedFor(urlPathEqualTo("/hubs/crm/contacts")).withHeader("Authorization", equalTo("Bearer access-1")));

        // now the hub rejects access-2: the next poll refreshes again with the rotated refresh token
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-2"))
                .willReturn(okJson("{\"access_token\":\"access-3\",\"refresh_token\":\"refresh-3\",\"expires_in\":3600}")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(aResponse().withStatus(401)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))
                .withHeader("Authorization", equalTo("Bearer access-3"))).isEmpty());
    }

    @Test
    void failedRefreshIsShownInGetAndMetricsAndIsNotRetriedAtEveryPoll() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).willReturn(okJson("[]")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/companies")).willReturn(okJson("[]")));
        long id = Seeds.id(engine.post(body(null)).body());

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Seeds.json(engine.get("/" + id).body()).path("oauth").path("state").asText().equals("refresh-failed"));
        JsonNode oauth = Seeds.json(engine.get("/" + id).body()).path("oauth");
        assertThat(oauth.path("lastRefreshError").asText()).contains("invalid_grant");
        assertThat(oauth.path("fix").asText()).contains("providerData.code");
        assertThat(Seeds.json(engine.get("/" + id).body()).path("resources").get(0).path("lastPollResult").asText())
                .contains("refresh").contains("next try at");
        int polls = hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))).size();
        // every resource polled twice more since (more than a whole interval): no poll retried the refresh or called the hub
        awaitPolledSince(() -> engine.get("/" + id).body(), Instant.now());
        awaitPolledSince(() -> engine.get("/" + id).body(), Instant.now());
        hub.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token")));
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts")))).hasSize(polls);
        assertThat(Seeds.json(engine.get("/" + id).body()).path("resources"))
                .allSatisfy(r -> assertThat(r.path("lastPollResult").asText()).contains("next try at"));

        String base = engine.api().replace("/elements/api-v2/instances", "");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body())
                .contains("polling_oauth_refresh_failed{instance=\"" + id + "\"} 1.0")
                .containsPattern("polling_oauth_refreshes_total\\{instance=\"" + id + "\",outcome=\"failed\"} 1\\.0"));

        // a fresh authorization code through PATCH recovers the instance
        hub.stubFor(post("/oauth/token").withRequestBody(containing("code=grant-code-2"))
                .willReturn(okJson("{\"access_token\":\"access-9\",\"refresh_token\":\"refresh-9\",\"expires_in\":3600}")));
        var patched = engine.patch(id, "{\"providerData\":{\"code\":\"grant-code-2\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))
                .withHeader("Authorization", equalTo("Bearer access-9"))).isEmpty());
        assertThat(Seeds.json(engine.get("/" + id).body()).path("oauth").path("state").asText()).isEqualTo("ok");
    }

    @Test
    void rotatedRefreshTokenSurvivesRestartAndSecretsAreEncryptedAtRest() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson("{\"access_token\":\"access-2\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).willReturn(okJson("[]")));
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/companies")).willReturn(okJson("[]")));
        long id = Seeds.id(engine.post(body(null)).body());
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))
                .withHeader("Authorization", equalTo("Bearer access-2"))).isEmpty());
        engine.close();

        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db").toAbsolutePath(), "sa", "")) {
            var rs = c.createStatement().executeQuery("select i.body, t.access_token, t.refresh_token from pe_instance i"
                    + " join pe_oauth_token t on t.instance_id = i.id");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).doesNotContain("fak3AP1-s3Cr3t").doesNotContain("grant-code-1").doesNotContain("max-key")
                    .contains("enc:v1:");
            assertThat(rs.getString(2)).startsWith("enc:v1:").doesNotContain("access-");
            assertThat(rs.getString(3)).startsWith("enc:v1:").doesNotContain("refresh-");
        }

        // after the restart the hub rejects access-2: the engine refreshes with the rotated refresh-2, not refresh-1
        hub.stubFor(get(urlPathEqualTo("/hubs/crm/contacts")).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(aResponse().withStatus(401)));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-2"))
                .willReturn(okJson("{\"access_token\":\"access-3\",\"refresh_token\":\"refresh-3\",\"expires_in\":3600}")));
        int refreshOne = hub.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=refresh-1"))).size();
        engine = RunningEngine.start(data, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(getRequestedFor(urlPathEqualTo("/hubs/crm/contacts"))
                .withHeader("Authorization", equalTo("Bearer access-3"))).isEmpty());
        assertThat(hub.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=refresh-1"))))
                .hasSize(refreshOne);
    }

    @Test
    void refusedAuthorizationCodeIsA400AndNothingIsStored() throws Exception {
        hub.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));
        HttpResponse<String> response = engine.post(body(null));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("providerData.code").contains("invalid_grant");
        assertThat(Seeds.json("{\"a\":" + engine.get("").body() + "}").path("a")).isEmpty();
    }
}
