package io.pollingevents.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad instance body is answered 400 with the field path and the fix, and nothing is stored. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceValidationApiTest {
    RunningEngine engine;
    Path data;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("pe-validation");
        engine = RunningEngine.start(data, java.util.Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        engine.close();
    }

    @AfterEach
    void nothingWasStored() throws Exception {
        assertThat(engine.get("").body().replaceAll("\\s", "")).isEqualTo("[]");
    }

    static ObjectNode sr() throws Exception {
        return Seeds.example("smartrecruiters");
    }

    static ObjectNode config(ObjectNode body) {
        return body.with("configuration");
    }

    static ObjectNode candidates(ObjectNode body) {
        return config(body).with("event.poller.configuration").with("candidates");
    }

    static Arguments bad(String name, String field, String hint, Consumer<ObjectNode> change) {
        return Arguments.of(name, field, hint, change);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                bad("unknown element key", "element.key", "known elements are http, maximizer, smartrecruiters",
                        b -> b.with("element").put("key", "smartrecruiterz")),
                bad("missing url", "configuration['event.poller.configuration'].candidates.url", "required",
                        b -> candidates(b).remove("url")),
                bad("missing idField", "configuration['event.poller.configuration'].candidates.idField", "required",
                        b -> candidates(b).remove("idField")),
                bad("callback not http(s)", "configuration['event.notification.callback.url']", "is not an http(s) URL",
                        b -> config(b).put("event.notification.callback.url", "ftp://example.com/events")),
                bad("zero interval", "configuration['event.poller.refresh_interval']", "must be a positive number of minutes",
                        b -> config(b).put("event.poller.refresh_interval", "0")),
                bad("negative interval", "configuration['event.poller.refresh_interval']", "must be a positive number of minutes",
                        b -> config(b).put("event.poller.refresh_interval", -5)),
                bad("non-numeric interval", "configuration['event.poller.refresh_interval']", "is not a number",
                        b -> config(b).put("event.poller.refresh_interval", "fifteen")),
                bad("unparseable date pattern", "configuration['event.poller.configuration'].candidates.datesConfiguration.updatedDateFormat",
                        "is not a valid Java date pattern",
                        b -> candidates(b).with("datesConfiguration").put("updatedDateFormat", "yyyy-MM-ddTHH:mm:ss")),
                bad("unknown time zone", "configuration['event.poller.configuration'].candidates.datesConfiguration.createdDateTimezone",
                        "unknown time zone 'Mars/Olympus'",
                        b -> candidates(b).with("datesConfiguration").put("createdDateTimezone", "Mars/Olympus")),
                bad("unknown instance time zone", "configuration['event.poller.timezone']", "unknown time zone",
                        b -> config(b).put("event.poller.timezone", "Nowhere/City")),
                bad("unknown placeholder", "configuration['event.poller.configuration'].candidates.url",
                        "unknown placeholder '${now:yyyy}'; supported are ${date:FMT}, ${gmtDate:FMT}",
                        b -> candidates(b).put("url", "/hubs/humancapital/candidates?where=updatedAfter='${now:yyyy}'")),
                bad("bad date pattern in placeholder", "configuration['event.poller.configuration'].candidates.url",
                        "is not a valid Java date pattern",
                        b -> candidates(b).put("url", "/hubs/humancapital/candidates?where=updatedAfter='${gmtDate:yyyy-MM-ddQQQQQQ}'")),
                bad("misspelt refresh interval (OCR seed)", "configuration['event.poller.refresh interval']",
                        "did you mean `event.poller.refresh_interval`",
                        b -> config(b).set("event.poller.refresh interval", config(b).remove("event.poller.refresh_interval"))),
                bad("misspelt date key", "configuration['event.poller.configuration'].candidates.datesConfiguration.updatedDateFeild",
                        "did you mean `updatedDateField`",
                        b -> candidates(b).with("datesConfiguration").set("updatedDateFeild",
                                candidates(b).with("datesConfiguration").remove("updatedDateField"))),
                bad("enabled not a boolean", "configuration['event.notification.enabled']", "is not a boolean",
                        b -> config(b).put("event.notification.enabled", "yes")),
                bad("missing api.key", "configuration['api.key']", "required by element 'smartrecruiters'",
                        b -> config(b).remove("api.key")),
                bad("poller configuration string that is not JSON", "configuration['event.poller.configuration']", "not valid JSON",
                        b -> config(b).put("event.poller.configuration", "{\"candidates\": {")),
                bad("interval of more than a year", "configuration['event.poller.refresh_interval']", "more than a year",
                        b -> config(b).put("event.poller.refresh_interval", "1e20")),
                bad("tag that is not a string", "tags", "must hold strings only",
                        b -> b.withArray("tags").add(42)),
                bad("empty whsec_ key", "configuration['event.notification.signature.key']", "holds no secret",
                        b -> config(b).put("event.notification.signature.scheme", "standard-webhooks")
                                .put("event.notification.signature.key", "whsec_")),
                bad("unknown signature scheme", "configuration['event.notification.signature.scheme']", "is not a signature scheme",
                        b -> config(b).put("event.notification.signature.scheme", "hmac-md5")),
                bad("unknown pagination type", "configuration['event.poller.configuration'].candidates.pagination", "type 'pages' is unknown",
                        b -> candidates(b).putObject("pagination").put("type", "pages")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyIsRefusedWithFieldAndFix(String name, String field, String hint, Consumer<ObjectNode> change) throws Exception {
        ObjectNode body = sr();
        change.accept(body);
        HttpResponse<String> response = engine.post(body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = Seeds.json(response.body());
        assertThat(error.path("errors")).as(response.body())
                .anySatisfy(e -> {
                    assertThat(e.path("field").asText()).isEqualTo(field);
                    assertThat(e.path("message").asText()).contains(hint);
                });
        assertThat(error.path("message").asText()).contains(field);
    }

    @Test
    void malformedJsonIsRefusedWithLineAndColumn() throws Exception {
        HttpResponse<String> response = engine.post("{\n  \"element\": {\"key\": \"maximizer\"}y\n  \"name\": \"x\"\n}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("malformed JSON at line 2").contains("missing comma");
    }

    @Test
    void ocrSeedBodyAsPrintedGetsDidYouMean() throws Exception {
        ObjectNode body = Seeds.example("maximizer");
        config(body).set("event.poller.refresh interval", config(body).remove("event.poller.refresh_interval"));
        HttpResponse<String> response = engine.post(body.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("did you mean `event.poller.refresh_interval`");
    }

    @Test
    void patchWithBadValueIsRefusedAndKeepsTheInstance() throws Exception {
        ObjectNode body = sr();
        config(body).put("event.notification.callback.url", "http://127.0.0.1:1/cb");
        config(body).put("event.poller.refresh_interval", "60");
        long id = Seeds.id(engine.post(body.toString()).body());
        try {
            HttpResponse<String> response = engine.patch(id, "{\"configuration\":{\"event.poller.refresh_interval\":\"-1\"}}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("event.poller.refresh_interval");
            assertThat(Seeds.json(engine.get("/" + id).body()).path("configuration").path("event.poller.refresh_interval").asText())
                    .isEqualTo("60");
        } finally {
            engine.delete(id);
        }
    }

    @Test
    void unknownVendorKeysAreKept() throws Exception {
        ObjectNode body = sr();
        config(body).put("vendor.custom.flag", "on");
        config(body).put("event.notification.callback.url", "http://127.0.0.1:1/cb");
        config(body).put("event.poller.refresh_interval", 60);
        HttpResponse<String> created = engine.post(body.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long id = Seeds.id(created.body());
        try {
            assertThat(Seeds.json(engine.get("/" + id).body()).path("configuration").path("vendor.custom.flag").asText()).isEqualTo("on");
        } finally {
            engine.delete(id);
        }
    }
}
