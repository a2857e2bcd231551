package io.pollingevents.event;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Signs notification bodies as Open Connectors did:
 * {@code Elements-Webhook-Signature: sha256=<Base64(HMAC-SHA256(key, raw body bytes))>}.
 */
public final class WebhookSigner {
    public static final String HEADER = "Elements-Webhook-Signature";
    /** Sent beside the signature with the notification's id. */
    public static final String ID_HEADER = "Elements-Webhook-Id";

    private WebhookSigner() {
    }

    /** The header value for a body signed with the key. */
    public static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
