package io.pollingevents.store;

import java.util.Optional;
import java.util.function.Function;

/** Persists OAuth2 tokens per instance so a restart does not need a new authorization code. */
public interface TokenStore {
    Optional<OAuthTokens> find(long instanceId);

    /** The tokens of every given instance that has some, in one query, by instance id. */
    java.util.Map<Long, OAuthTokens> findAll(java.util.Collection<Long> instanceIds);

    void save(long instanceId, OAuthTokens tokens);

    /**
     * Runs {@code change} on the instance's tokens while holding a database row lock, and stores the tokens
     * {@code stored} takes from its outcome; nodes sharing the database therefore refresh one instance's tokens one
     * at a time. Empty when the instance has no tokens.
     */
    <T> Optional<T> updateLocked(long instanceId, Function<OAuthTokens, T> change, Function<T, OAuthTokens> stored);

    /** Instances whose last token refresh failed. */
    java.util.List<Long> failedRefreshes();
}
