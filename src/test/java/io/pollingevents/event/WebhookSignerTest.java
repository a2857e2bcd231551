package io.pollingevents.event;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerTest {

    private static String expected(String key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void signsRawBodyBytesWithHmacSha256InBase64() throws Exception {
        byte[] body = "{\"message\":{\"id\":\"1\",\"instanceName\":\"Zürich ✓\"}}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSigner.signature("asdfo08e$fd", body)).isEqualTo(expected("asdfo08e$fd", body));
    }

    @Test
    void matchesKnownRfc4231Vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        String signature = WebhookSigner.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));

        assertThat(signature).isEqualTo("sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    }

    @Test
    void differentKeyOrBodyGivesDifferentSignature() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSigner.signature("k1", body)).isNotEqualTo(WebhookSigner.signature("k2", body));
        assertThat(WebhookSigner.signature("k1", body)).isNotEqualTo(WebhookSigner.signature("k1", "{ }".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headerNameIsTheOpenConnectorsOne() {
        assertThat(WebhookSigner.HEADER).isEqualTo("Elements-Webhook-Signature");
    }
}
