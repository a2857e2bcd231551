package io.pollingevents.store;

import java.util.Optional;

/** Persists OAuth2 tokens per instance so a restart does not need a new authorization code. */
public interface TokenStore {
    Optional<OAuthTokens> find(long instanceId);

    void save(long instanceId, OAuthTokens tokens);

    /**
     * Runs {@code change} on the instance's tokens while holding a database row lock, and stores what it
     * returns; nodes sharing the database therefore refresh one instance's tokens one at a time.
     */
    OAuthTokens updateLocked(long instanceId, java.util.function.UnaryOperator<OAuthTokens> change);

    /** Instances whose last token refresh failed. */
    java.util.List<Long> failedRefreshes();
}
