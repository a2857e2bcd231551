package io.pollingevents.event;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class StandardWebhooksSignerTest {
    // the test vector published with the Standard Webhooks specification (and used by its reference libraries)
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    /** The spec's signature computed here, independently: HMAC-SHA256 over "id.timestamp.body". */
    private static String expected(byte[] key, String id, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content));
    }

    @Test
    void matchesTheSpecificationsTestVector() {
        assertThat(StandardWebhooksSigner.signature(SECRET, ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void whsecKeyIsBase64DecodedBeforeSigning() throws Exception {
        byte[] secret = "a secret of 24 bytes....".getBytes(StandardCharsets.UTF_8);
        String key = "whsec_" + Base64.getEncoder().encodeToString(secret);
        byte[] body = "{\"message\":{\"instanceName\":\"Zürich ✓\"}}".getBytes(StandardCharsets.UTF_8);

        assertThat(StandardWebhooksSigner.signature(key, "n1", 1_700_000_000L, body))
                .isEqualTo(expected(secret, "n1", 1_700_000_000L, body));
    }

    @Test
    void otherKeyIsUsedAsItsUtf8Bytes() throws Exception {
        assertThat(StandardWebhooksSigner.signature("plain-key-ü", ID, TIMESTAMP, BODY))
                .isEqualTo(expected("plain-key-ü".getBytes(StandardCharsets.UTF_8), ID, TIMESTAMP, BODY));
    }

    @Test
    void idTimestampAndBodyAreAllSigned() {
        String signature = StandardWebhooksSigner.signature(SECRET, ID, TIMESTAMP, BODY);

        assertThat(StandardWebhooksSigner.signature(SECRET, "msg_other", TIMESTAMP, BODY)).isNotEqualTo(signature);
        assertThat(StandardWebhooksSigner.signature(SECRET, ID, TIMESTAMP + 1, BODY)).isNotEqualTo(signature);
        assertThat(StandardWebhooksSigner.signature(SECRET, ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(signature);
    }

    @Test
    void headerNamesAreTheSpecificationsOnes() {
        assertThat(StandardWebhooksSigner.ID).isEqualTo("webhook-id");
        assertThat(StandardWebhooksSigner.TIMESTAMP).isEqualTo("webhook-timestamp");
        assertThat(StandardWebhooksSigner.SIGNATURE).isEqualTo("webhook-signature");
    }
}
