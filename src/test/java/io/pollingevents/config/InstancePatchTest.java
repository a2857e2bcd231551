package io.pollingevents.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstancePatchTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text.replace('\'', '"'));
    }

    private ObjectNode stored() throws Exception {
        return json("{'element':{'key':'maximizer'},'name':'old','tags':['a'],"
                + "'configuration':{'oauth.api.key':'k','oauth.api.secret':'s3cr3t','event.poller.refresh_interval':'15'},"
                + "'providerData':{'code':'c1','state':'x'}}");
    }

    @Test
    void configurationKeysAreMergedOneByOne() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(),
                json("{'configuration':{'event.poller.refresh_interval':'5','base.url':'https://hub'}}"));

        assertThat(merged.get("configuration")).isEqualTo(json("{'oauth.api.key':'k','oauth.api.secret':'s3cr3t',"
                + "'event.poller.refresh_interval':'5','base.url':'https://hub'}"));
        assertThat(merged.get("name").asText()).isEqualTo("old");
    }

    @Test
    void nullRemovesAConfigurationKey() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(), json("{'configuration':{'oauth.api.key':null}}"));

        assertThat(merged.get("configuration").has("oauth.api.key")).isFalse();
        assertThat(merged.at("/configuration/oauth.api.secret").asText()).isEqualTo("s3cr3t");
    }

    @Test
    void maskedValueKeepsTheStoredSecret() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(),
                json("{'configuration':{'oauth.api.secret':'********','oauth.api.key':'k2'},"
                        + "'providerData':{'code':'********','state':'y'}}"));

        assertThat(merged.get("configuration").get("oauth.api.secret").asText()).isEqualTo("s3cr3t");
        assertThat(merged.get("configuration").get("oauth.api.key").asText()).isEqualTo("k2");
        assertThat(merged.get("providerData")).isEqualTo(json("{'code':'c1','state':'y'}"));
    }

    @Test
    void maskIsOnlyTheExactText() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(),
                json("{'configuration':{'oauth.api.secret':'*******'},'providerData':{'code':'********x'}}"));

        assertThat(merged.get("configuration").get("oauth.api.secret").asText()).isEqualTo("*******");
        assertThat(merged.get("providerData").get("code").asText()).isEqualTo("********x");
    }

    @Test
    void providerDataKeysAreMergedAndCreatedWhenAbsent() throws Exception {
        ObjectNode stored = stored();
        stored.remove("providerData");

        ObjectNode merged = InstancePatch.apply(stored, json("{'providerData':{'code':'new'}}"));

        assertThat(merged.get("providerData")).isEqualTo(json("{'code':'new'}"));
    }

    @Test
    void configurationIsCreatedWhenAbsent() throws Exception {
        ObjectNode stored = stored();
        stored.remove("configuration");

        ObjectNode merged = InstancePatch.apply(stored, json("{'configuration':{'a':'b'}}"));

        assertThat(merged.get("configuration")).isEqualTo(json("{'a':'b'}"));
    }

    @Test
    void otherFieldsAreReplacedWhole() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(), json("{'name':'new','tags':['b','c'],'description':'d'}"));

        assertThat(merged.get("name").asText()).isEqualTo("new");
        assertThat(merged.get("tags")).isEqualTo(json("{'t':['b','c']}").get("t"));
        assertThat(merged.get("description").asText()).isEqualTo("d");
        assertThat(merged.get("configuration")).isEqualTo(stored().get("configuration"));
    }

    @Test
    void nonObjectConfigurationOrProviderDataReplacesTheField() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(), json("{'configuration':'x','providerData':[1]}"));

        assertThat(merged.get("configuration").asText()).isEqualTo("x");
        assertThat(merged.get("providerData").isArray()).isTrue();
    }

    @Test
    void sameElementIsAccepted() throws Exception {
        ObjectNode merged = InstancePatch.apply(stored(), json("{'element':{'key':'maximizer'},'name':'n'}"));

        assertThat(merged.get("element")).isEqualTo(stored().get("element"));
        assertThat(merged.get("name").asText()).isEqualTo("n");
    }

    @Test
    void elementCannotChange() {
        assertThatThrownBy(() -> InstancePatch.apply(stored(), json("{'element':{'key':'smartrecruiters'}}")))
                .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> {
                            assertThat(err.field()).isEqualTo("element.key");
                            assertThat(err.message()).contains("cannot change", "create a new instance");
                        }));
    }

    @Test
    void theStoredBodyIsNotModified() throws Exception {
        ObjectNode stored = stored();

        InstancePatch.apply(stored, json("{'name':'new','configuration':{'oauth.api.key':null,'x':'y'},'providerData':{'code':'z'}}"));

        assertThat(stored).isEqualTo(stored());
    }
}
