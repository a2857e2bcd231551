package io.pollingevents.store;

import javax.sql.DataSource;
import java.util.Optional;

/** {@link TokenStore} on H2 or PostgreSQL. */
public final class JdbcTokenStore implements TokenStore {
    private final Jdbc jdbc;

    public JdbcTokenStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Optional<OAuthTokens> find(long instanceId) {
        return jdbc.query("load tokens of instance " + instanceId,
                "select access_token, refresh_token, expires_at_ms from pe_oauth_token where instance_id = ?",
                rs -> new OAuthTokens(rs.getString(1), rs.getString(2), (Long) rs.getObject(3, Long.class)), instanceId)
                .stream().findFirst();
    }

    @Override
    public void save(long instanceId, OAuthTokens tokens) {
        jdbc.inTransaction("save tokens of instance " + instanceId, c -> {
            int updated = Jdbc.update(c, "update pe_oauth_token set access_token = ?, refresh_token = ?, expires_at_ms = ? where instance_id = ?",
                    tokens.accessToken(), tokens.refreshToken(), tokens.expiresAtMs(), instanceId);
            if (updated == 0) {
                Jdbc.update(c, "insert into pe_oauth_token (instance_id, access_token, refresh_token, expires_at_ms) values (?, ?, ?, ?)",
                        instanceId, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAtMs());
            }
            return null;
        });
    }
}
