package io.pollingevents.store;

import java.util.Optional;

/** Persists OAuth2 tokens per instance so a restart does not need a new authorization code. */
public interface TokenStore {
    Optional<OAuthTokens> find(long instanceId);

    void save(long instanceId, OAuthTokens tokens);

    /** Instances whose last token refresh failed. */
    java.util.List<Long> failedRefreshes();
}
