package io.pollingevents.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretFieldsTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final ElementDescriptor maximizer = ElementRegistry.load(null).find("maximizer").orElseThrow();

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void transformsSecretConfigurationValuesAndProviderData() throws Exception {
        ObjectNode body = json("{'name':'n','configuration':{'oauth.api.key':'id','oauth.api.secret':'s',"
                + "'event.notification.signature.key':'k','vendor.password':'p','base.url':'https://hub'},"
                + "'providerData':{'code':'c'}}");

        ObjectNode result = SecretFields.transform(body, maximizer, v -> "enc(" + v + ")");

        assertThat(result).isEqualTo(json("{'name':'n','configuration':{'oauth.api.key':'id','oauth.api.secret':'enc(s)',"
                + "'event.notification.signature.key':'enc(k)','vendor.password':'enc(p)','base.url':'https://hub'},"
                + "'providerData':{'code':'enc(c)'}}"));
    }

    @Test
    void onlyTextValuesAreTransformed() throws Exception {
        ObjectNode body = json("{'configuration':{'secret':5,'password':null,'api.key':'a'},"
                + "'providerData':{'code':'c','expires':3600,'scopes':['x']}}");

        ObjectNode result = SecretFields.transform(body, null, v -> v.toUpperCase());

        assertThat(result).isEqualTo(json("{'configuration':{'secret':5,'password':null,'api.key':'A'},"
                + "'providerData':{'code':'C','expires':3600,'scopes':['x']}}"));
    }

    @Test
    void leavesTheInputAlone() throws Exception {
        ObjectNode body = json("{'configuration':{'api.key':'a'},'providerData':{'code':'c'}}");

        ObjectNode result = SecretFields.transform(body, null, v -> "x");

        assertThat(body).isEqualTo(json("{'configuration':{'api.key':'a'},'providerData':{'code':'c'}}"));
        assertThat(result).isNotSameAs(body);
    }

    @Test
    void bodyWithoutConfigurationOrProviderDataIsCopied() throws Exception {
        ObjectNode body = json("{'name':'n','configuration':'none','providerData':'none'}");

        ObjectNode result = SecretFields.transform(body, maximizer, v -> "x");

        assertThat(result).isEqualTo(body).isNotSameAs(body);
    }
}
