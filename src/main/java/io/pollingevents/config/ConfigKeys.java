package io.pollingevents.config;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The configuration keys the engine reads, and the check that tells a misspelt key from a vendor key. */
public final class ConfigKeys {
    public static final String ENABLED = "event.notification.enabled";
    public static final String VENDOR_TYPE = "event.vendor.type";
    public static final String CALLBACK_URL = "event.notification.callback.url";
    public static final String SIGNATURE_KEY = "event.notification.signature.key";
    public static final String SIGNATURE_SCHEME = "event.notification.signature.scheme";
    public static final String REFRESH_INTERVAL = "event.poller.refresh_interval";
    public static final String POLLER_CONFIGURATION = "event.poller.configuration";
    public static final String TIMEZONE = "event.poller.timezone";
    public static final String BASE_URL = "base.url";
    public static final String OAUTH_TOKEN_URL = "oauth.token.url";
    public static final String HUB_MODE = "hub.mode";
    /** The generic http element's authentication keys. */
    public static final String HTTP_AUTH_TYPE = "http.auth.type";
    public static final String HTTP_AUTH_HEADER = "http.auth.header";
    public static final String HTTP_AUTH_VALUE = "http.auth.value";
    public static final String HTTP_AUTH_USERNAME = "http.auth.username";
    public static final String HTTP_AUTH_PASSWORD = "http.auth.password";

    /** Keys every instance may use, whatever its element. */
    public static final Set<String> ENGINE_KEYS = Set.of(ENABLED, VENDOR_TYPE, CALLBACK_URL, SIGNATURE_KEY, SIGNATURE_SCHEME,
            REFRESH_INTERVAL, POLLER_CONFIGURATION, TIMEZONE, BASE_URL, OAUTH_TOKEN_URL, HUB_MODE,
            "api.key", "oauth.api.key", "oauth.api.secret", "oauth.callback.url",
            "openconnectors.user.secret", "openconnectors.organization.secret", "openconnectors.element.token");

    /** Keys whose values never leave the engine in an API response. */
    public static final Set<String> ALWAYS_SECRET = Set.of(SIGNATURE_KEY, "api.key", "oauth.api.secret", HTTP_AUTH_VALUE,
            "oauth.access.token", "oauth.refresh.token", "secret", "password");

    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(2);

    private ConfigKeys() {
    }

    /**
     * Finds the known key an unknown key was probably meant to be: same letters once separators and case
     * are ignored, or (when fuzzy) at most two edits away for keys of eight characters or more.
     */
    public static Optional<String> likelyMeant(String key, Collection<String> known) {
        return likelyMeant(key, known, true);
    }

    /** As {@link #likelyMeant(String, Collection)}; without fuzzy only separator and case differences count. */
    public static Optional<String> likelyMeant(String key, Collection<String> known, boolean fuzzy) {
        if (known.contains(key)) {
            return Optional.empty();
        }
        String normalized = normalize(key);
        for (String candidate : known) {
            if (normalize(candidate).equals(normalized)) {
                return Optional.of(candidate);
            }
        }
        if (!fuzzy || key.length() < 8) {
            return Optional.empty();
        }
        String lower = key.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(candidate -> DISTANCE.apply(lower, candidate.toLowerCase(Locale.ROOT)) >= 0)
                .min((a, b) -> Integer.compare(DISTANCE.apply(lower, a.toLowerCase(Locale.ROOT)),
                        DISTANCE.apply(lower, b.toLowerCase(Locale.ROOT))));
    }

    /** Whether a configuration value is a secret: masked in responses and encrypted at rest. */
    public static boolean isSecret(String key, io.pollingevents.element.ElementDescriptor element) {
        String lower = key.toLowerCase(Locale.ROOT);
        return ALWAYS_SECRET.contains(key)
                || (element != null && (element.secretKeys().contains(key) || key.equals(element.auth().valueFrom())
                        || key.equals(element.auth().clientSecretFrom()) || key.equals(element.auth().passwordFrom())))
                || lower.contains("secret") || lower.contains("password") || lower.endsWith("token")
                || lower.endsWith("signature.key");
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
