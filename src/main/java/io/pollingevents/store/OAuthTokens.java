package io.pollingevents.store;

/**
 * An instance's OAuth2 tokens; {@code expiresAtMs} is null when the provider gave no lifetime. After a
 * failed refresh, {@code refreshError}, the number of failures in a row and the time of the next try are kept.
 */
public record OAuthTokens(String accessToken, String refreshToken, Long expiresAtMs,
                          String refreshError, int refreshFailures, Long nextRefreshAt) {

    public OAuthTokens(String accessToken, String refreshToken, Long expiresAtMs) {
        this(accessToken, refreshToken, expiresAtMs, null, 0, null);
    }

    public boolean refreshFailed() {
        return refreshError != null;
    }

    public OAuthTokens withRefreshFailure(String error, long nextTry) {
        return new OAuthTokens(accessToken, refreshToken, expiresAtMs, error, refreshFailures + 1, nextTry);
    }

    public OAuthTokens expired() {
        return new OAuthTokens(accessToken, refreshToken, 0L, refreshError, refreshFailures, nextRefreshAt);
    }
}
