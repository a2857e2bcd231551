package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pollingevents.support.FakeOctopus;
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

/**
 * The Maximizer seed body (OAuth2, ${date:...}, two resources), as written but for base.url and oauth.token.url,
 * against a WireMock stand-in for Maximizer Octopus ({@code POST /Read}, see {@link FakeOctopus}), its token
 * endpoint and a receiver.
 */
class MaximizerSeedTest {
    static final DateTimeFormatter MAX = FakeOctopus.DATE;
    static final String CONTACT = "{\"$EQ\":\"Contact\"}";
    static final String COMPANY = "{\"$EQ\":\"Company\"}";
    static final String EMPTY = "{\"Code\":0,\"AbEntry\":{\"Data\":[]}}";

    @TempDir
    Path data;
    FakeOctopus octopus = new FakeOctopus();
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(octopus));
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

    /** Answers POST /Read from the fake Octopus. */
    void readsFromOctopus() {
        hub.stubFor(post(urlPathEqualTo("/Read")).willReturn(aResponse().withTransformers(FakeOctopus.NAME)));
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
    void exchangesCodeAndPollsBothResourcesWithReadCallsAndBearerToken() throws Exception {
        readsFromOctopus();
        Instant now = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        octopus.put("k1", "Contact", now.plusSeconds(2));
        octopus.put("k0", "Contact", now.minusSeconds(600));
        octopus.put("co1", "Company", now.plusSeconds(3));

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
        assertThat(events).allSatisfy(e -> assertThat(e.path("hubKey").asText()).isEqualTo("crm"));
        for (LoggedRequest r : Receiver.requests(hub, "/callback")) {
            assertThat(r.getHeader("Elements-Webhook-Signature")).isEqualTo(Receiver.expectedSignature("max-key", r.getBody()));
        }
        // the seed's where=LastModifyDate>'${date:...}' became Octopus' criteria; ${date:...} in UTC renders 'Z'
        JsonNode read = Seeds.json(hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)))
                .get(0).getBodyAsString()).path("AbEntry");
        assertThat(read.at("/Criteria/SearchQuery/$AND").toString()).isEqualTo("[{\"Type\":{\"$EQ\":\"Contact\"}},"
                + "{\"LastModifyDate\":{\"$GT\":\"" + MAX.format(createdAt.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC)) + "\"}}]");
        assertThat(read.at("/Scope/Fields").has("Key")).isTrue();
        assertThat(read.at("/Scope/Fields").has("LastModifyDate")).isTrue();
        assertThat(read.at("/OrderBy/PageSize").asInt()).isEqualTo(100);
        hub.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void rendersDatePlaceholderInTheInstanceTimeZone() throws Exception {
        readsFromOctopus();
        HttpResponse<String> created = engine.post(body("+05:30"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Instant createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());

        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read"))).isEmpty());
        JsonNode read = Seeds.json(hub.findAll(postRequestedFor(urlPathEqualTo("/Read"))).get(0).getBodyAsString());
        String expected = MAX.format(createdAt.atZone(ZoneOffset.of("+05:30")));
        assertThat(expected).endsWith("+05:30");
        assertThat(read.at("/AbEntry/Criteria/SearchQuery/$AND/1/LastModifyDate/$GT").asText()).isEqualTo(expected);
    }

    @Test
    void readsEveryPageWithThePageKey() throws Exception {
        readsFromOctopus();
        Instant now = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 230; i++) {
            octopus.put("c" + i, "Contact", now.plusSeconds(i % 7));
        }
        long id = Seeds.id(engine.post(body(null)).body());

        await().atMost(Duration.ofSeconds(30)).until(() -> Receiver.events(hub, "/callback").size() >= 230);
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).doesNotHaveDuplicates().hasSize(230);
        List<LoggedRequest> pages = hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)));
        assertThat(pages.subList(0, 3)).extracting(r -> Seeds.json(r.getBodyAsString()).at("/AbEntry/OrderBy/PageKey").asText(null))
                .containsExactly(null, "100", "200");
    }

    @Test
    void aNegativeCodeInAnHttp200AnswerFailsThePollAndKeepsTheWatermark() throws Exception {
        readsFromOctopus();
        octopus.failWith(-5);
        long id = Seeds.id(engine.post(body(null)).body());
        JsonNode before = Seeds.json(engine.get("/" + id).body()).path("resources").get(0);

        await().atMost(Duration.ofSeconds(20)).until(() -> Seeds.json(engine.get("/" + id).body()).path("resources").get(0)
                .path("lastPollResult").asText().startsWith("failed:"));
        JsonNode contacts = Seeds.json(engine.get("/" + id).body()).path("resources").get(0);
        assertThat(contacts.path("lastPollResult").asText()).contains("error code -5").contains("Invalid search query")
                .contains("POST " + hub.baseUrl() + "/Read").contains("the watermark stays");
        assertThat(contacts.path("watermark")).isEqualTo(before.path("watermark"));

        Instant later = Instant.now().plusSeconds(30);
        octopus.put("k9", "Contact", later);
        octopus.failWith(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
    }

    @Test
    void aChangeInTheSameSecondAsAPollIsNotLostToTheStrictGreaterThan() throws Exception {
        readsFromOctopus();
        Instant second = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        octopus.put("a", "Contact", second);
        long id = Seeds.id(engine.post(body(null)).body());
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() == 1);
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        // b changes after that poll, in the same second as a: Octopus now has both at that second, and a
        // query for LastModifyDate > that second would never return b
        octopus.put("b", "Contact", second.plusMillis(700));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receiver.events(hub, "/callback").size() >= 2);
        awaitSettled(() -> engine.get("/" + id).body(), Instant.now());

        assertThat(Receiver.events(hub, "/callback")).extracting(e -> e.path("objectId").asText()).containsExactly("a", "b");
        JsonNode contacts = java.util.stream.StreamSupport.stream(Seeds.json(engine.get("/" + id).body()).path("resources").spliterator(), false)
                .filter(r -> r.path("name").asText().equals("contacts")).findFirst().orElseThrow();
        assertThat(contacts.path("watermark").asText()).isEqualTo(second.toString());
    }

    @Test
    void refreshesExpiredAccessTokenAndAfter401() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson("{\"access_token\":\"access-2\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}")));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).willReturn(aResponse().withStatus(401)));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(okJson(EMPTY)));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(COMPANY)).willReturn(okJson(EMPTY)));
        assertThat(engine.post(body(null)).statusCode()).isEqualTo(200);

        // expires_in=1: the first poll already refreshes; the hub sees the new token
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))
                .withHeader("Authorization", equalTo("Bearer access-2"))).isEmpty());
        hub.verify(0, postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).withHeader("Authorization", equalTo("Bearer access-1")));

        // now the hub rejects access-2: the next poll refreshes again with the rotated refresh token
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-2"))
                .willReturn(okJson("{\"access_token\":\"access-3\",\"refresh_token\":\"refresh-3\",\"expires_in\":3600}")));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(aResponse().withStatus(401)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))
                .withHeader("Authorization", equalTo("Bearer access-3"))).isEmpty());
    }

    @Test
    void failedRefreshIsShownInGetAndMetricsAndIsNotRetriedAtEveryPoll() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).willReturn(okJson(EMPTY)));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(COMPANY)).willReturn(okJson(EMPTY)));
        long id = Seeds.id(engine.post(body(null)).body());

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Seeds.json(engine.get("/" + id).body()).path("oauth").path("state").asText().equals("refresh-failed"));
        JsonNode oauth = Seeds.json(engine.get("/" + id).body()).path("oauth");
        assertThat(oauth.path("lastRefreshError").asText()).contains("invalid_grant");
        assertThat(oauth.path("fix").asText()).contains("providerData.code");
        // the poll that tried the refresh reports the token endpoint's answer; the polls after it, the next try
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Seeds.json(engine.get("/" + id).body()).path("resources").get(0).path("lastPollResult").asText())
                        .contains("refresh").contains("next try at"));
        int polls = hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))).size();
        // every resource polled twice more since (more than a whole interval): no poll retried the refresh or called the hub
        awaitPolledSince(() -> engine.get("/" + id).body(), Instant.now());
        awaitPolledSince(() -> engine.get("/" + id).body(), Instant.now());
        hub.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token")));
        assertThat(hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)))).hasSize(polls);
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
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))
                .withHeader("Authorization", equalTo("Bearer access-9"))).isEmpty());
        assertThat(Seeds.json(engine.get("/" + id).body()).path("oauth").path("state").asText()).isEqualTo("ok");
    }

    @Test
    void rotatedRefreshTokenSurvivesRestartAndSecretsAreEncryptedAtRest() throws Exception {
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":1}")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(okJson("{\"access_token\":\"access-2\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}")));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).willReturn(okJson(EMPTY)));
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(COMPANY)).willReturn(okJson(EMPTY)));
        long id = Seeds.id(engine.post(body(null)).body());
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))
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
        hub.stubFor(post(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT)).withHeader("Authorization", equalTo("Bearer access-2"))
                .willReturn(aResponse().withStatus(401)));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("refresh_token=refresh-2"))
                .willReturn(okJson("{\"access_token\":\"access-3\",\"refresh_token\":\"refresh-3\",\"expires_in\":3600}")));
        int refreshOne = hub.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=refresh-1"))).size();
        engine = RunningEngine.start(data, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.findAll(postRequestedFor(urlPathEqualTo("/Read")).withRequestBody(containing(CONTACT))
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
