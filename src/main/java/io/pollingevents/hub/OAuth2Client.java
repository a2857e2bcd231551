package io.pollingevents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.format.Texts;
import io.pollingevents.hub.OAuth2Exception.Reason;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.TokenStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

    /** Token calls go through camel-http, so the camel.component.http.* timeouts apply to them as to hub calls. */
    private static final String TOKEN_ENDPOINT = "http:polling-oauth-token?throwExceptionOnFailure=false";

    private final ProducerTemplate http;
    private final ObjectMapper mapper;
    private final TokenStore tokens;
    private final Clock clock;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final EngineMetrics metrics;

    public OAuth2Client(ProducerTemplate http, ObjectMapper mapper, TokenStore tokens, Clock clock, EngineMetrics metrics) {
        this.http = http;
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
            OAuthTokens current = tokens.find(instance.id()).orElseThrow(() -> noTokens(instance.id()));
            if (usable(current)) {
                return current.accessToken();
            }
            Refresh refresh = tokens.updateLocked(instance.id(), locked -> refreshLocked(instance, element, locked), Refresh::stored)
                    .orElseThrow(() -> noTokens(instance.id()));
            if (refresh.failure() != null) {
                throw refresh.failure();
            }
            return refresh.stored().accessToken();
        }
    }

    /** What a refresh under the row lock ends with: the tokens to store, and the failure to report once they are. */
    private record Refresh(OAuthTokens stored, OAuth2Exception failure) {
    }

    private Refresh refreshLocked(InstanceDefinition instance, ElementDescriptor element, OAuthTokens locked) {
        if (usable(locked)) {
            return new Refresh(locked, null); // another poll refreshed while this one waited for the lock
        }
        try {
            return new Refresh(refresh(instance, element, locked), null);
        } catch (OAuth2Exception e) {
            if (e.reason() == Reason.BACKING_OFF) {
                return new Refresh(locked, e); // nothing new to record
            }
            long wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(locked.refreshFailures(), 6));
            metrics.oauthRefresh(instance.id(), false);
            return new Refresh(locked.withRefreshFailure(e.getMessage(), clock.millis() + wait), e);
        }
    }

    private static OAuth2Exception noTokens(long instanceId) {
        return new OAuth2Exception(Reason.NO_TOKENS, "instance " + instanceId
                + " has no OAuth2 tokens; PATCH it with a fresh providerData.code");
    }

    private boolean usable(OAuthTokens tokens) {
        return tokens.expiresAtMs() == null || tokens.expiresAtMs() - REFRESH_MARGIN_MS > clock.millis();
    }

    private OAuthTokens refresh(InstanceDefinition instance, ElementDescriptor element, OAuthTokens current) {
        if (current.refreshFailed() && current.nextRefreshAt() != null && clock.millis() < current.nextRefreshAt()) {
            throw new OAuth2Exception(Reason.BACKING_OFF, "the OAuth2 token refresh of instance " + instance.id() + " failed ("
                    + current.refreshError() + "); next try at " + Instant.ofEpochMilli(current.nextRefreshAt())
                    + ". If the grant was revoked, PATCH the instance with a fresh providerData.code");
        }
        if (current.refreshToken() == null) {
            throw new OAuth2Exception(Reason.NO_REFRESH_TOKEN, "the access token of instance " + instance.id()
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
        Exchange answer = http.request(TOKEN_ENDPOINT, exchange -> {
            Message request = exchange.getIn();
            request.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
            request.setHeader(Exchange.HTTP_URI, url);
            request.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            request.setHeader("Accept", "application/json");
            request.setBody(body);
        });
        if (answer.getException() != null) {
            throw new OAuth2Exception(Reason.UNREACHABLE, "token endpoint " + url + " is unreachable: " + answer.getException(),
                    answer.getException());
        }
        Message response = answer.getMessage();
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = response.getBody(String.class);
        if (status / 100 != 2) {
            throw new OAuth2Exception(Reason.REJECTED, "token endpoint " + url + " answered " + status + " to "
                    + form.get("grant_type") + ": " + Texts.abbreviate(text));
        }
        JsonNode json;
        try {
            json = mapper.readTree(text == null ? "" : text);
        } catch (IOException e) {
            throw new OAuth2Exception(Reason.INVALID_ANSWER, "token endpoint " + url + " answered with invalid JSON: "
                    + Texts.abbreviate(text), e);
        }
        String access = json == null ? null : json.path("access_token").asText(null);
        if (access == null || access.isBlank()) {
            throw new OAuth2Exception(Reason.INVALID_ANSWER, "token endpoint " + url + " answered without access_token: "
                    + Texts.abbreviate(text));
        }
        String refresh = json.hasNonNull("refresh_token") ? json.get("refresh_token").asText() : previousRefreshToken;
        Long expiresAt = json.hasNonNull("expires_in") ? clock.millis() + json.get("expires_in").asLong() * 1000 : null;
        return new OAuthTokens(access, refresh, expiresAt);
    }
}
