package io.pollingevents.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceParserTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final InstanceParser parser = new InstanceParser(mapper, ElementRegistry.load(Path.of("elements")));

    private ObjectNode example(String name) throws Exception {
        return (ObjectNode) mapper.readTree(Files.readString(Path.of("examples", name + ".json")));
    }

    private static ObjectNode config(ObjectNode body) {
        return (ObjectNode) body.get("configuration");
    }

    @Test
    void parsesSmartRecruitersExample() throws Exception {
        InstanceDefinition def = parser.parse(example("smartrecruiters"));

        assertThat(def.elementKey()).isEqualTo("smartrecruiters");
        assertThat(def.name()).isEqualTo("API Instance with Polling");
        assertThat(def.tags()).containsExactly("Docs");
        assertThat(def.notificationsEnabled()).isTrue();
        assertThat(def.callbackUrl()).isEqualTo("http://127.0.0.1:9000/events");
        assertThat(def.signatureKey()).isEqualTo("asdfo08e$fd");
        assertThat(def.refreshIntervalMillis()).isEqualTo(15 * 60_000L);
        assertThat(def.timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(def.resources()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("candidates");
            assertThat(r.idField()).isEqualTo("id");
            assertThat(r.url()).startsWith("/hubs/humancapital/candidates?where=updatedAfter=");
            assertThat(r.updatedDate().name()).isEqualTo("updatedOn");
            assertThat(r.updatedDate().formatter()).isNotNull();
            assertThat(r.updatedDate().zone().normalized()).isEqualTo(ZoneId.of("GMT").normalized());
            assertThat(r.createdDate().name()).isEqualTo("createdOn");
        });
    }

    @Test
    void parsesMaximizerExampleKeepingProviderData() throws Exception {
        InstanceDefinition def = parser.parse(example("maximizer"));

        assertThat(def.elementKey()).isEqualTo("maximizer");
        assertThat(def.resources()).extracting(ResourceConfig::name).containsExactly("contacts", "companies");
        assertThat(def.resource("contacts").idField()).isEqualTo("Key");
        assertThat(def.resource("contacts").createdDate()).isNull();
        assertThat(def.resource("contacts").updatedDate().pattern()).isEqualTo("yyyy-MM-dd'T'HH:mm:ssXXX");
        assertThat(def.body().at("/providerData/code").asText()).isEqualTo("your-authorization-grant-code");
        assertThat(def.tags()).containsExactly("Docs");
        assertThat(def.config("oauth.api.key")).isEqualTo("RandOMAPI-key");
    }

    @Test
    void refreshIntervalAsNumberIncludingDecimals() throws Exception {
        ObjectNode body = example("smartrecruiters");
        config(body).put(ConfigKeys.REFRESH_INTERVAL, 0.05);
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(3_000L);

        config(body).put(ConfigKeys.REFRESH_INTERVAL, 2);
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(120_000L);

        config(body).put(ConfigKeys.REFRESH_INTERVAL, "0.5");
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(30_000L);
    }

    @Test
    void enabledAsStringTrue() throws Exception {
        ObjectNode body = example("maximizer");
        config(body).put(ConfigKeys.ENABLED, "true");

        assertThat(parser.parse(body).notificationsEnabled()).isTrue();
    }

    @Test
    void pollerConfigurationAsEscapedJsonString() throws Exception {
        ObjectNode body = example("smartrecruiters");
        String asString = mapper.writeValueAsString(config(body).get(ConfigKeys.POLLER_CONFIGURATION));
        config(body).put(ConfigKeys.POLLER_CONFIGURATION, asString);

        InstanceDefinition def = parser.parse(body);

        assertThat(def.resources()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("candidates");
            assertThat(r.updatedDate().name()).isEqualTo("updatedOn");
        });
        assertThat(def.body().at("/configuration").get(ConfigKeys.POLLER_CONFIGURATION).isObject()).isTrue();
        assertThat(body.at("/configuration").get(ConfigKeys.POLLER_CONFIGURATION).isTextual())
                .as("the caller's body is not modified").isTrue();
    }

    @Test
    void keepsUnknownVendorKeysInBody() throws Exception {
        ObjectNode body = example("smartrecruiters");
        config(body).put("vendor.custom.flag", "on");

        InstanceDefinition def = parser.parse(body);

        assertThat(def.config("vendor.custom.flag")).isEqualTo("on");
    }

    @Test
    void rejectsMisspeltKeyWithSuggestion() throws Exception {
        ObjectNode body = example("smartrecruiters");
        config(body).set("event.poller.refresh interval", config(body).remove(ConfigKeys.REFRESH_INTERVAL));

        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(err -> {
                            assertThat(err.field()).isEqualTo("configuration['event.poller.refresh interval']");
                            assertThat(err.message()).contains("event.poller.refresh_interval");
                        }));
    }
}
