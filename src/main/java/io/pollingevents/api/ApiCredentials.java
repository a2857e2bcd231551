package io.pollingevents.api;

import io.pollingevents.store.SettingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The User and Organization secrets that API requests must present as
 * {@code Authorization: User <secret>, Organization <secret>}. Taken from configuration, or generated
 * on first start, stored, and printed once.
 */
public final class ApiCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(ApiCredentials.class);
    private final String userSecret;
    private final String organizationSecret;

    public ApiCredentials(String userSecret, String organizationSecret) {
        this.userSecret = userSecret;
        this.organizationSecret = organizationSecret;
    }

    /** Uses the configured secrets, else the stored ones, else generates, stores and prints new ones. */
    public static ApiCredentials resolve(String configuredUser, String configuredOrganization, SettingStore settings) {
        if (notBlank(configuredUser) && notBlank(configuredOrganization)) {
            return new ApiCredentials(configuredUser, configuredOrganization);
        }
        if (notBlank(configuredUser) || notBlank(configuredOrganization)) {
            throw new IllegalStateException("Set both polling.api.user-secret and polling.api.organization-secret, or neither");
        }
        var storedUser = settings.get("api.user-secret");
        var storedOrg = settings.get("api.organization-secret");
        if (storedUser.isPresent() && storedOrg.isPresent()) {
            return new ApiCredentials(storedUser.get(), storedOrg.get());
        }
        String user = settings.putIfAbsent("api.user-secret", randomSecret());
        String org = settings.putIfAbsent("api.organization-secret", randomSecret());
        String banner = "\n==========================================================================\n"
                + " polling-events generated API secrets (shown once; stored in the database):\n"
                + "   Authorization: User " + user + ", Organization " + org + "\n"
                + " Set polling.api.user-secret / polling.api.organization-secret to choose your own.\n"
                + "==========================================================================";
        System.out.println(banner);
        LOG.info("Generated API secrets and stored them in the database");
        return new ApiCredentials(user, org);
    }

    /** Throws 401 unless the header carries both secrets. */
    public void check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, "missing Authorization header; send 'Authorization: User <secret>, Organization <secret>'");
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.split(",")) {
            String[] kv = part.trim().split("\\s+", 2);
            if (kv.length == 2) {
                parts.put(kv[0].toLowerCase(), kv[1].trim());
            }
        }
        if (!same(parts.get("user"), userSecret) || !same(parts.get("organization"), organizationSecret)) {
            throw new ApiException(401, "wrong User or Organization secret in the Authorization header");
        }
    }

    public String header() {
        return "User " + userSecret + ", Organization " + organizationSecret;
    }

    private static boolean same(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
