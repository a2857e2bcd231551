package io.pollingevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pollingevents.e2e.SmartRecruitersSeedTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Paged hub reads as a user sees them: every pagination style (openconnectors, offset, cursor in the body,
 * RFC 8288 Link) delivers every record of every page exactly once; a failing page keeps the watermark and loses
 * nothing, also across a restart; maxPages stops a hub that never stops paging; a resource's "pagination"
 * override takes effect and a bad one is refused with its field path.
 */
class PaginationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SR_PATH = "/hubs/humancapital/candidates";
    static final String ORDERS = "/orders";
    static final String CALLBACK = "/callback";
    static final String PAGINATION_FIELD = "configuration['event.poller.configuration'].candidates.pagination";

    /** A connector declared in a user's elements folder: records under /records, a cursor in the body, no auth. */
    static final String PAGEDHUB_YAML = """
            key: pagedhub
            name: Paged Hub
            hub: orders
            baseUrl: http://127.0.0.1:1/unused
            auth:
              type: none
            records:
              path: /records
            pagination:
              type: cursor
              cursorPath: /nextPageId
              cursorParam: pageId
              pageSize: 2
              pageSizeParam: limit
            maxConcurrentCalls: 1
            """;

    @TempDir
    Path data;
    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    Path elementsDir;
    long id;
    Instant createdAt;
    // records are dated after the instance is created
    final Instant t0 = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void start() throws Exception {
        hub.start();
        hub.stubFor(post(CALLBACK).willReturn(aResponse().withStatus(200)));
        elementsDir = Files.createDirectories(data.resolve("elements"));
        Files.writeString(elementsDir.resolve("pagedhub.yaml"), PAGEDHUB_YAML);
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        hub.stop();
    }

    // ---------------------------------------------------------------- helpers

    RunningEngine startEngine(Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(extra);
        props.put("polling.elements.dir", elementsDir.toString());
        return RunningEngine.start(data, props);
    }

    RunningEngine startEngine() throws Exception {
        return startEngine(Map.of());
    }

    /** The SmartRecruiters seed against the WireMock hub, polled about every second, with an optional pagination override. */
    String srBody(String pagination) throws Exception {
        ObjectNode body = Seeds.json(Seeds.hubExample("smartrecruiters", Map.of("api.key", "sr-key",
                "base.url", hub.baseUrl(), "event.notification.callback.url", hub.baseUrl() + CALLBACK,
                "event.poller.refresh_interval", "0.017")));
        if (pagination != null) {
            ((ObjectNode) body.path("configuration").path("event.poller.configuration").path("candidates"))
                    .set("pagination", JSON.readTree(pagination));
        }
        return JSON.writeValueAsString(body);
    }

    /** An instance of the pagedhub element polling /orders, with an optional pagination override. */
    String pagedHubBody(String pagination) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("element").put("key", "pagedhub");
        body.put("name", "paged orders");
        ObjectNode config = body.putObject("configuration");
        config.put("event.notification.enabled", true);
        config.put("event.notification.callback.url", hub.baseUrl() + CALLBACK);
        config.put("event.poller.refresh_interval", "0.017");
        config.put("base.url", hub.baseUrl());
        ObjectNode orders = config.putObject("event.poller.configuration").putObject("orders");
        orders.put("url", ORDERS + "?since=${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}");
        orders.put("idField", "id");
        orders.putObject("datesConfiguration").put("updatedDateField", "updated").put("createdDateField", "created");
        if (pagination != null) {
            orders.set("pagination", JSON.readTree(pagination));
        }
        return JSON.writeValueAsString(body);
    }

    void create(String body) throws Exception {
        HttpResponse<String> created = engine.post(body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        id = Seeds.id(created.body());
        createdAt = Instant.parse(Seeds.json(created.body()).path("createdDate").asText());
    }

    JsonNode resourceState() throws Exception {
        return Seeds.json(engine.get("/" + id).body()).path("resources").get(0);
    }

    String lastPollResult() throws Exception {
        return resourceState().path("lastPollResult").asText();
    }

    Instant watermark() throws Exception {
        return Instant.parse(resourceState().path("watermark").asText());
    }

    /** SmartRecruiters candidate n, created and updated at t0 + n seconds. */
    String cand(int n) {
        return candidate("c" + n, t0.plusSeconds(n), t0.plusSeconds(n));
    }

    static String array(String... records) {
        return "[" + String.join(",", records) + "]";
    }

    /** pagedhub order n, created and updated at t0 + n seconds (ISO-8601). */
    String order(int n) {
        return "{\"id\":\"o" + n + "\",\"total\":" + n + ",\"created\":\"" + t0.plusSeconds(n) + "\",\"updated\":\"" + t0.plusSeconds(n) + "\"}";
    }

    List<LoggedRequest> hubRequests(String path) {
        return hub.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    static String param(LoggedRequest request, String name) {
        var p = request.queryParameter(name);
        return p != null && p.isPresent() ? p.firstValue() : null;
    }

    List<JsonNode> events() {
        return Receiver.events(hub, CALLBACK);
    }

    /**
     * Each expected object arrived as exactly one event with its own id, the engine stored no more, and
     * further complete polls of the same pages (counted by pollsStarted) add nothing.
     */
    void assertEachDeliveredOnceAndNothingMore(IntSupplier pollsStarted, String... objectIds) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> events().size() >= objectIds.length);
        int polls = pollsStarted.getAsInt();
        await().atMost(Duration.ofSeconds(15)).until(() -> pollsStarted.getAsInt() >= polls + 1
                && lastPollResult().startsWith("ok:") && lastPollResult().contains(", 0 events stored"));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(4)).until(() -> events().size() == objectIds.length);
        List<JsonNode> events = events();
        assertThat(events).extracting(e -> e.path("objectId").asText()).containsExactlyInAnyOrder(objectIds);
        assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
        assertThat(events).extracting(e -> e.path("eventType").asText()).containsOnly("CREATED");
        JsonNode log = JSON.readTree(engine.get("/" + id + "/events").body());
        assertThat(log).hasSize(objectIds.length);
    }

    int firstPages(String path, String pageParam) {
        return (int) hubRequests(path).stream().filter(r -> param(r, pageParam) == null).count();
    }

    // ---------------------------------------------------------------- 1. the four styles

    @Test
    void openConnectorsStyleFollowsTheNextPageTokenHeaderAndDeliversEveryPageOnce() throws Exception {
        // Open Connectors tokens are Base64: '+', '/' and '=' must reach the hub unchanged
        String token2 = "eyJwYWdlIjoyfQ==+/2";
        String token3 = "eyJwYWdlIjozfQ==+/3";
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", absent())
                .willReturn(okJson(array(cand(1), cand(2))).withHeader("elements-next-page-token", token2)));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", equalTo(token2))
                .willReturn(okJson(array(cand(3), cand(4))).withHeader("elements-next-page-token", token3)));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", equalTo(token3))
                .willReturn(okJson(array(cand(5)))));
        engine = startEngine();
        create(srBody("{\"type\":\"openconnectors\",\"pageSize\":2}"));

        assertEachDeliveredOnceAndNothingMore(() -> firstPages(SR_PATH, "nextPage"), "c1", "c2", "c3", "c4", "c5");

        List<LoggedRequest> requests = hubRequests(SR_PATH);
        assertThat(requests).extracting(r -> param(r, "nextPage")).startsWith(null, token2, token3, null);
        assertThat(requests).allSatisfy(r -> {
            assertThat(param(r, "pageSize")).isEqualTo("2");
            assertThat(r.getHeader("Authorization")).isEqualTo("User oc-user, Organization oc-org, Element oc-element");
        });
        // every page of one poll asks from the same watermark
        String where = "updatedAfter='" + SmartRecruitersSeedTest.SR.format(createdAt) + "'";
        assertThat(requests.subList(0, 3)).extracting(r -> param(r, "where")).containsOnly(where);
        assertThat(watermark()).isEqualTo(t0.plusSeconds(5));
        assertThat(lastPollResult()).contains("5 records in 3 pages");
    }

    @Test
    void offsetOverrideOnAnElementWithoutPaginationPagesByOffsetAndLimit() throws Exception {
        // smartrecruiters.yaml declares no pagination; the resource switches it on. Page 2 repeats c2 (a record
        // moved while paging), which must still be one event.
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).willReturn(okJson("[]")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("0")).willReturn(okJson(array(cand(1), cand(2)))));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("2")).willReturn(okJson(array(cand(2), cand(3)))));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("4")).willReturn(okJson(array(cand(4)))));
        engine = startEngine();
        create(srBody("{\"type\":\"offset\",\"pageSize\":2}"));

        assertEachDeliveredOnceAndNothingMore(
                () -> (int) hubRequests(SR_PATH).stream().filter(r -> "0".equals(param(r, "offset"))).count(), "c1", "c2", "c3", "c4");

        List<LoggedRequest> requests = hubRequests(SR_PATH);
        assertThat(requests).extracting(r -> param(r, "offset")).startsWith("0", "2", "4", "0");
        assertThat(requests).extracting(r -> param(r, "limit")).containsOnly("2");
        assertThat(requests).extracting(r -> param(r, "where")).doesNotContainNull();
        assertThat(watermark()).isEqualTo(t0.plusSeconds(4));
    }

    @Test
    void cursorInTheBodyDeclaredByTheElementDescriptorIsFollowed() throws Exception {
        // the cursor may come before or after the records; the last page has none
        hub.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("pageId", absent())
                .willReturn(okJson("{\"nextPageId\":\"c-2\",\"records\":[" + order(1) + "," + order(2) + "]}")));
        hub.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("pageId", equalTo("c-2"))
                .willReturn(okJson("{\"records\":[" + order(3) + "," + order(4) + "],\"meta\":{\"n\":2},\"nextPageId\":\"c-3\"}")));
        hub.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("pageId", equalTo("c-3"))
                .willReturn(okJson("{\"records\":[" + order(5) + "],\"nextPageId\":null}")));
        engine = startEngine();
        create(pagedHubBody(null));

        assertEachDeliveredOnceAndNothingMore(() -> firstPages(ORDERS, "pageId"), "o1", "o2", "o3", "o4", "o5");

        List<LoggedRequest> requests = hubRequests(ORDERS);
        assertThat(requests).extracting(r -> param(r, "pageId")).startsWith(null, "c-2", "c-3", null);
        assertThat(requests).extracting(r -> param(r, "limit")).containsOnly("2");
        assertThat(requests.subList(0, 3)).extracting(r -> param(r, "since")).containsOnly(
                SmartRecruitersSeedTest.SR.format(createdAt));
        JsonNode firstMessage = Receiver.message(Receiver.requests(hub, CALLBACK).get(0));
        assertThat(firstMessage.path("raw").path("orders").get(0).path("total").asInt()).isEqualTo(1);
        assertThat(watermark()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void linkHeaderRelNextIsFollowedRelativeAndAbsolute() throws Exception {
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("page", absent())
                .willReturn(okJson(array(cand(1), cand(2)))
                        .withHeader("Link", "<" + SR_PATH + "?page=2>; rel=\"next\", <" + SR_PATH + "?page=3>; rel=\"last\"")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(array(cand(3), cand(4))).withHeader("Link", "<" + hub.baseUrl() + SR_PATH
                        + "?page=1>; rel=\"prev\", <" + hub.baseUrl() + SR_PATH + "?page=3>; rel=\"next\"")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("page", equalTo("3"))
                .willReturn(okJson(array(cand(5))).withHeader("Link", "<" + SR_PATH + "?page=2>; rel=\"prev\"")));
        engine = startEngine();
        create(srBody("{\"type\":\"link\"}"));

        assertEachDeliveredOnceAndNothingMore(() -> firstPages(SR_PATH, "page"), "c1", "c2", "c3", "c4", "c5");

        List<LoggedRequest> requests = hubRequests(SR_PATH);
        assertThat(requests).extracting(r -> param(r, "page")).startsWith(null, "2", "3", null);
        assertThat(requests).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("User oc-user, Organization oc-org, Element oc-element"));
        assertThat(watermark()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void linkHeaderFieldsSentSeparatelyAreAllRead() throws Exception {
        // RFC 8288 allows several Link header fields; rel="next" may be in the second one
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("page", absent())
                .willReturn(okJson(array(cand(1))).withHeader("Link",
                        "<" + SR_PATH + "?page=1>; rel=\"first\"", "<" + SR_PATH + "?page=2>; rel=\"next\"")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(array(cand(2))).withHeader("Link",
                        "<" + SR_PATH + "?page=1>; rel=\"first\"", "<" + SR_PATH + "?page=1>; rel=\"prev\"")));
        engine = startEngine();
        create(srBody("{\"type\":\"link\"}"));

        assertEachDeliveredOnceAndNothingMore(() -> firstPages(SR_PATH, "page"), "c1", "c2");
        assertThat(hubRequests(SR_PATH)).extracting(r -> param(r, "page")).startsWith(null, "2", null);
    }

    // ---------------------------------------------------------------- 2./3. a failing page

    void openConnectorsHubWithFailingPage2() {
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", absent())
                .willReturn(okJson(array(cand(1), cand(2))).withHeader("elements-next-page-token", "p2")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", equalTo("p2"))
                .willReturn(aResponse().withStatus(500).withBody("page 2 is unavailable")));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", equalTo("p3"))
                .willReturn(okJson(array(cand(5), cand(6)))));
    }

    void page2Recovers() {
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("nextPage", equalTo("p2"))
                .willReturn(okJson(array(cand(3), cand(4))).withHeader("elements-next-page-token", "p3")));
    }

    long page2Requests() {
        return hubRequests(SR_PATH).stream().filter(r -> "p2".equals(param(r, "nextPage"))).count();
    }

    @Test
    void failingPage2KeepsTheWatermarkAndEveryEventArrivesOnceAfterRecovery() throws Exception {
        openConnectorsHubWithFailingPage2();
        engine = startEngine();
        create(srBody("{\"type\":\"openconnectors\",\"pageSize\":2}"));

        await().atMost(Duration.ofSeconds(20)).until(() -> page2Requests() >= 2 && lastPollResult().contains("hub answered 500"));
        assertThat(lastPollResult()).startsWith("failed:").contains("page 2 is unavailable").contains("nextPage=p2")
                .contains("the watermark stays");
        assertThat(watermark()).isEqualTo(createdAt);
        assertThat(hubRequests(SR_PATH)).noneMatch(r -> "p3".equals(param(r, "nextPage")));

        page2Recovers();
        assertEachDeliveredOnceAndNothingMore(() -> firstPages(SR_PATH, "nextPage"), "c1", "c2", "c3", "c4", "c5", "c6");
        assertThat(watermark()).isEqualTo(t0.plusSeconds(6));
    }

    @Test
    void restartBetweenAFailedPageAndRecoveryStillDeliversEachEventOnce() throws Exception {
        openConnectorsHubWithFailingPage2();
        // small outbox chunks: page 1's events are stored (and delivered) before page 2 fails, and page 1 is
        // read again at every poll, also after the restart
        engine = startEngine(Map.of("polling.outbox.chunk", "2"));
        create(srBody("{\"type\":\"openconnectors\",\"pageSize\":2}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> page2Requests() >= 2 && lastPollResult().contains("hub answered 500"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> events().stream().map(e -> e.path("objectId").asText()).toList().equals(List.of("c1", "c2")));
        assertThat(watermark()).isEqualTo(createdAt);
        engine.close();
        engine = null;

        page2Recovers();
        engine = startEngine(Map.of("polling.outbox.chunk", "2"));
        assertEachDeliveredOnceAndNothingMore(() -> firstPages(SR_PATH, "nextPage"), "c1", "c2", "c3", "c4", "c5", "c6");
        assertThat(watermark()).isEqualTo(t0.plusSeconds(6));
    }

    // ---------------------------------------------------------------- 4. page limit

    @Test
    void hubThatAlwaysHasANextPageStopsAtMaxPagesAndKeepsPolling() throws Exception {
        hub.stubFor(get(urlPathEqualTo(ORDERS)).willReturn(okJson("{\"records\":[" + order(1) + "]}")
                .withHeader("elements-next-page-token", "again")));
        // pagedhub allows one hub call at a time: a poll that kept its call slot would block the next one
        engine = startEngine(Map.of("polling.hub.slot-wait", "500ms"));
        create(pagedHubBody("{\"type\":\"openconnectors\",\"pageSize\":1,\"maxPages\":3}"));

        await().atMost(Duration.ofSeconds(20)).until(() -> firstPages(ORDERS, "nextPage") >= 3
                && lastPollResult().contains("page limit"));
        assertThat(lastPollResult()).startsWith("failed:").contains("stopped after 3 pages").contains("maxPages");
        assertThat(watermark()).isEqualTo(createdAt);
        List<LoggedRequest> requests = new ArrayList<>(hubRequests(ORDERS));
        // each poll is exactly 3 requests: first page, then two with the token
        assertThat(requests.subList(0, 7)).extracting(r -> param(r, "nextPage"))
                .containsExactly(null, "again", "again", null, "again", "again", null);
        int polls = (int) requests.stream().filter(r -> param(r, "nextPage") == null).count();
        assertThat(requests.size()).isLessThanOrEqualTo(3 * polls);
        assertThat(requests).extracting(r -> param(r, "pageSize")).containsOnly("1");
        assertThat(lastPollResult()).doesNotContain("more than 1 polls");
    }

    // ---------------------------------------------------------------- 6. overrides

    @Test
    void patchingInAPaginationOverrideTakesEffectOnTheRunningInstance() throws Exception {
        // a hub that, asked without paging, answers only its first page of 2
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", absent()).willReturn(okJson(array(cand(1), cand(2)))));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("0")).willReturn(okJson(array(cand(1), cand(2)))));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("2")).willReturn(okJson(array(cand(3), cand(4)))));
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).withQueryParam("offset", equalTo("4")).willReturn(okJson(array(cand(5)))));
        engine = startEngine();
        create(srBody(null));
        await().atMost(Duration.ofSeconds(20)).until(() -> events().size() >= 2 && hubRequests(SR_PATH).size() >= 2);
        assertThat(hubRequests(SR_PATH)).allSatisfy(r -> {
            assertThat(param(r, "offset")).isNull();
            assertThat(param(r, "limit")).isNull();
        });

        ObjectNode resources = (ObjectNode) Seeds.json(srBody("{\"type\":\"offset\",\"pageSize\":2}"))
                .path("configuration").path("event.poller.configuration");
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("configuration").set("event.poller.configuration", resources);
        HttpResponse<String> patched = engine.patch(id, JSON.writeValueAsString(patch));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Seeds.json(patched.body()).path("configuration").path("event.poller.configuration")
                .path("candidates").path("pagination").path("type").asText()).isEqualTo("offset");

        assertEachDeliveredOnceAndNothingMore(
                () -> (int) hubRequests(SR_PATH).stream().filter(r -> "0".equals(param(r, "offset"))).count(),
                "c1", "c2", "c3", "c4", "c5");
        assertThat(hubRequests(SR_PATH)).extracting(r -> param(r, "offset")).containsSubsequence("0", "2", "4", "0");
        assertThat(watermark()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void badPaginationOverridesAreRefusedWithTheirFieldPath() throws Exception {
        engine = startEngine();
        Map<String, String> bad = Map.of(
                "{\"type\":\"pages\",\"pageSize\":2}", "type 'pages' is unknown",
                "{\"type\":\"cursor\"}", "cursorPath is required",
                "{\"type\":\"cursor\",\"cursorPath\":\"nextPageId\"}", "cursorPath is required",
                "{\"type\":\"offset\",\"pageSize\":0}", "pageSize must be a positive number",
                "{\"type\":\"openconnectors\",\"maxPages\":-1}", "maxPages must be a positive number",
                "\"offset\"", "must be an object");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            HttpResponse<String> refused = engine.post(srBody(c.getKey()));
            assertThat(refused.statusCode()).as(c.getKey() + " -> " + refused.body()).isEqualTo(400);
            JsonNode errors = Seeds.json(refused.body()).path("errors");
            assertThat(errors).as(c.getKey() + " -> " + refused.body()).anySatisfy(e -> {
                assertThat(e.path("field").asText()).isEqualTo(PAGINATION_FIELD);
                assertThat(e.path("message").asText()).contains(c.getValue());
            });
        }
        HttpResponse<String> typo = engine.post(srBody("{\"type\":\"offset\",\"pagesize\":2}"));
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(Seeds.json(typo.body()).path("errors")).anySatisfy(e -> {
            assertThat(e.path("field").asText()).isEqualTo(PAGINATION_FIELD + ".pagesize");
            assertThat(e.path("message").asText()).contains("pageSize");
        });
        assertThat(engine.get("").body().replaceAll("\\s", "")).isEqualTo("[]");

        // a PATCH to a bad override is refused the same way and the instance keeps polling as before
        hub.stubFor(get(urlPathEqualTo(SR_PATH)).willReturn(okJson("[]")));
        create(srBody("{\"type\":\"offset\",\"pageSize\":2}"));
        ObjectNode resources = (ObjectNode) Seeds.json(srBody("{\"type\":\"pages\"}"))
                .path("configuration").path("event.poller.configuration");
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("configuration").set("event.poller.configuration", resources);
        HttpResponse<String> refused = engine.patch(id, JSON.writeValueAsString(patch));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(Seeds.json(refused.body()).path("errors")).anySatisfy(e ->
                assertThat(e.path("field").asText()).isEqualTo(PAGINATION_FIELD));
        assertThat(Seeds.json(engine.get("/" + id).body()).path("configuration").path("event.poller.configuration")
                .path("candidates").path("pagination").path("type").asText()).isEqualTo("offset");
        int before = hubRequests(SR_PATH).size();
        await().atMost(Duration.ofSeconds(10)).until(() -> hubRequests(SR_PATH).size() > before);
        assertThat(hubRequests(SR_PATH)).extracting(r -> param(r, "limit")).containsOnly("2");
    }
}
