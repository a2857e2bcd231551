package io.pollingevents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.TokenStore;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * OAuth2 for elements whose descriptor says {@code auth.type: oauth2}: exchanges the instance's
 * {@code providerData.code} for tokens, refreshes them before expiry or after a 401, and persists them.
 */
public final class OAuth2Client {
    private static final long REFRESH_MARGIN_MS = 60_000;
    private static final long FIRST_RETRY_MS = 60_000;
    private static final long MAX_RETRY_MS = 3_600_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper;
    private final TokenStore tokens;
    private final Clock clock;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final EngineMetrics metrics;

    public OAuth2Client(ObjectMapper mapper, TokenStore tokens, Clock clock, EngineMetrics metrics) {
        this.mapper = mapper;
        this.tokens = tokens;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Exchanges the authorization code of a new instance; throws {@link OAuth2Exception} naming the failure. */
    public OAuthTokens exchangeCode(InstanceDefinition instance, ElementDescriptor element) {
        ElementDescriptor.Auth auth = element.auth();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", instance.body().path("providerData").path("code").asText());
        form.put("client_id", instance.config(auth.clientIdFrom()));
        form.put("client_secret", instance.config(auth.clientSecretFrom()));
        form.put("redirect_uri", instance.config(auth.redirectUriFrom()));
        return requestTokens(tokenUrl(instance, element), form, null);
    }

    /**
     * A valid access token for the instance, refreshed first when it expires within a minute. The refresh
     * runs under a database row lock, so concurrent polls (on this node or others) refresh once.
     */
    public String accessToken(InstanceDefinition instance, ElementDescriptor element) {
        synchronized (locks.computeIfAbsent(instance.id(), id -> new Object())) {
            OAuthTokens current = tokens.find(instance.id()).orElseThrow(() -> new OAuth2Exception(
                    "instance " + instance.id() + " has no OAuth2 tokens; PATCH it with a fresh providerData.code"));
            if (usable(current)) {
                return current.accessToken();
            }
            OAuth2Exception[] failure = new OAuth2Exception[1];
            OAuthTokens result = tokens.updateLocked(instance.id(), locked -> {
                if (usable(locked)) {
                    return locked; // another poll refreshed while this one waited for the lock
                }
                try {
                    return refresh(instance, element, locked);
                } catch (OAuth2Exception e) {
                    failure[0] = e;
                    if (e.getMessage().startsWith("the OAuth2 token refresh of instance")) {
                        return locked; // still backing off: nothing new to record
                    }
                    long wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(locked.refreshFailures(), 6));
                    metrics.oauthRefresh(instance.id(), false);
                    return locked.withRefreshFailure(e.getMessage(), clock.millis() + wait);
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            return result.accessToken();
        }
    }

    private boolean usable(OAuthTokens tokens) {
        return tokens.expiresAtMs() == null || tokens.expiresAtMs() - REFRESH_MARGIN_MS > clock.millis();
    }

    private OAuthTokens refresh(InstanceDefinition instance, ElementDescriptor element, OAuthTokens current) {
        if (current.refreshFailed() && current.nextRefreshAt() != null && clock.millis() < current.nextRefreshAt()) {
            throw new OAuth2Exception("the OAuth2 token refresh of instance " + instance.id() + " failed ("
                    + current.refreshError() + "); next try at " + Instant.ofEpochMilli(current.nextRefreshAt())
                    + ". If the grant was revoked, PATCH the instance with a fresh providerData.code");
        }
        if (current.refreshToken() == null) {
            throw new OAuth2Exception("the access token of instance " + instance.id()
                    + " expired and the provider gave no refresh token; PATCH the instance with a fresh providerData.code");
        }
        ElementDescriptor.Auth auth = element.auth();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", current.refreshToken());
        form.put("client_id", instance.config(auth.clientIdFrom()));
        form.put("client_secret", instance.config(auth.clientSecretFrom()));
        OAuthTokens refreshed = requestTokens(tokenUrl(instance, element), form, current.refreshToken());
        metrics.oauthRefresh(instance.id(), true);
        return refreshed;
    }

    /** Marks the stored access token as expired, so the next request refreshes it (after a hub 401). */
    public void invalidate(long instanceId) {
        synchronized (locks.computeIfAbsent(instanceId, id -> new Object())) {
            tokens.find(instanceId).ifPresent(t -> tokens.save(instanceId, t.expired()));
        }
    }

    private static String tokenUrl(InstanceDefinition instance, ElementDescriptor element) {
        String override = instance.config(ConfigKeys.OAUTH_TOKEN_URL);
        return override != null && !override.isBlank() ? override : element.auth().tokenUrl();
    }

    private OAuthTokens requestTokens(String url, Map<String, String> form, String previousRefreshToken) {
        String body = form.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OAuth2Exception("token endpoint " + url + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuth2Exception("interrupted while calling token endpoint " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new OAuth2Exception("token endpoint " + url + " answered " + response.statusCode() + " to "
                    + form.get("grant_type") + ": " + abbreviate(response.body()));
        }
        try {
            JsonNode json = mapper.readTree(response.body());
            String access = json.path("access_token").asText(null);
            if (access == null || access.isBlank()) {
                throw new OAuth2Exception("token endpoint " + url + " answered without access_token: " + abbreviate(response.body()));
            }
            String refresh = json.hasNonNull("refresh_token") ? json.get("refresh_token").asText() : previousRefreshToken;
            Long expiresAt = json.hasNonNull("expires_in") ? clock.millis() + json.get("expires_in").asLong() * 1000 : null;
            return new OAuthTokens(access, refresh, expiresAt);
        } catch (IOException e) {
            throw new OAuth2Exception("token endpoint " + url + " answered with invalid JSON: " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
