package io.pollingevents.event;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Signs as the Standard Webhooks specification says: {@code webhook-signature: v1,<Base64(HMAC-SHA256(secret,
 * "<webhook-id>.<webhook-timestamp>.<body>"))>}; a {@code whsec_} key is Base64-decoded, others are used as bytes.
 */
public final class StandardWebhooksSigner {
    public static final String SCHEME = "standard-webhooks";
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private StandardWebhooksSigner() {
    }

    public static String signature(String key, String id, long timestampSeconds, byte[] body) {
        byte[] secret = key.startsWith("whsec_")
                ? Base64.getDecoder().decode(key.substring("whsec_".length()))
                : key.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
