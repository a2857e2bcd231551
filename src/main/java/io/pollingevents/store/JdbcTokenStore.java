package io.pollingevents.store;

import javax.sql.DataSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@link TokenStore} on H2 or PostgreSQL; the tokens are encrypted at rest. */
public final class JdbcTokenStore implements TokenStore {
    private final Jdbc jdbc;
    private final SecretCipher cipher;

    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher) {
        this.jdbc = new Jdbc(dataSource);
        this.cipher = cipher;
    }

    @Override
    public Optional<OAuthTokens> find(long instanceId) {
        return jdbc.query("load tokens of instance " + instanceId,
                "select access_token, refresh_token, expires_at_ms, refresh_error, refresh_failures, next_refresh_at"
                        + " from pe_oauth_token where instance_id = ?",
                rs -> new OAuthTokens(cipher.decrypt(rs.getString(1)), cipher.decrypt(rs.getString(2)), rs.getObject(3, Long.class),
                        rs.getString(4), rs.getObject(5, Integer.class) == null ? 0 : rs.getInt(5), rs.getObject(6, Long.class)),
                instanceId).stream().findFirst();
    }

    @Override
    public Map<Long, OAuthTokens> findAll(Collection<Long> instanceIds) {
        Map<Long, OAuthTokens> found = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return found;
        }
        jdbc.query("load tokens of " + instanceIds.size() + " instances",
                "select instance_id, access_token, refresh_token, expires_at_ms, refresh_error, refresh_failures, next_refresh_at"
                        + " from pe_oauth_token where instance_id in (" + Jdbc.marks(instanceIds.size()) + ")",
                rs -> found.put(rs.getLong(1), new OAuthTokens(cipher.decrypt(rs.getString(2)), cipher.decrypt(rs.getString(3)),
                        rs.getObject(4, Long.class), rs.getString(5), rs.getObject(6, Integer.class) == null ? 0 : rs.getInt(6),
                        rs.getObject(7, Long.class))),
                instanceIds.toArray());
        return found;
    }

    @Override
    public void save(long instanceId, OAuthTokens tokens) {
        String access = cipher.encrypt(tokens.accessToken());
        String refresh = cipher.encrypt(tokens.refreshToken());
        jdbc.inTransaction("save tokens of instance " + instanceId, c -> {
            int updated = Jdbc.update(c, "update pe_oauth_token set access_token = ?, refresh_token = ?, expires_at_ms = ?,"
                            + " refresh_error = ?, refresh_failures = ?, next_refresh_at = ? where instance_id = ?",
                    access, refresh, tokens.expiresAtMs(), tokens.refreshError(), tokens.refreshFailures(), tokens.nextRefreshAt(), instanceId);
            if (updated == 0) {
                Jdbc.update(c, "insert into pe_oauth_token (instance_id, access_token, refresh_token, expires_at_ms, refresh_error,"
                                + " refresh_failures, next_refresh_at) values (?, ?, ?, ?, ?, ?, ?)",
                        instanceId, access, refresh, tokens.expiresAtMs(), tokens.refreshError(), tokens.refreshFailures(), tokens.nextRefreshAt());
            }
            return null;
        });
    }

    @Override
    public <T> Optional<T> updateLocked(long instanceId, Function<OAuthTokens, T> change, Function<T, OAuthTokens> stored) {
        return jdbc.inTransaction("refresh tokens of instance " + instanceId, c -> {
            OAuthTokens current;
            try (var ps = c.prepareStatement("select access_token, refresh_token, expires_at_ms, refresh_error, refresh_failures,"
                    + " next_refresh_at from pe_oauth_token where instance_id = ? for update")) {
                ps.setLong(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    current = new OAuthTokens(cipher.decrypt(rs.getString(1)), cipher.decrypt(rs.getString(2)), rs.getObject(3, Long.class),
                            rs.getString(4), rs.getObject(5, Integer.class) == null ? 0 : rs.getInt(5), rs.getObject(6, Long.class));
                }
            }
            T outcome = change.apply(current);
            OAuthTokens next = stored.apply(outcome);
            if (next != null && !next.equals(current)) {
                Jdbc.update(c, "update pe_oauth_token set access_token = ?, refresh_token = ?, expires_at_ms = ?,"
                                + " refresh_error = ?, refresh_failures = ?, next_refresh_at = ? where instance_id = ?",
                        cipher.encrypt(next.accessToken()), cipher.encrypt(next.refreshToken()), next.expiresAtMs(),
                        next.refreshError(), next.refreshFailures(), next.nextRefreshAt(), instanceId);
            }
            return Optional.of(outcome);
        });
    }

    @Override
    public List<Long> failedRefreshes() {
        return jdbc.query("instances with failed token refresh", "select instance_id from pe_oauth_token where refresh_error is not null",
                rs -> rs.getLong(1));
    }
}
