package io.pollingevents.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** {@link InstanceStore} on H2 or PostgreSQL. */
public final class JdbcInstanceStore implements InstanceStore {
    private static final String COLUMNS = "id, token, element_key, name, body, created_at, updated_at";
    private final Jdbc jdbc;

    public JdbcInstanceStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public StoredInstance insert(String token, String elementKey, String name, String body, long createdAt, List<String> resources) {
        return jdbc.inTransaction("insert instance", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into pe_instance (token, element_key, name, body, created_at, updated_at) values (?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, token);
                ps.setString(2, elementKey);
                ps.setString(3, name);
                ps.setString(4, body);
                ps.setLong(5, createdAt);
                ps.setLong(6, createdAt);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            initWatermarks(c, id, resources, createdAt);
            return new StoredInstance(id, token, elementKey, name, body, createdAt, createdAt);
        });
    }

    @Override
    public void update(long id, String name, String body, long now, List<String> resources) {
        jdbc.inTransaction("update instance " + id, c -> {
            Jdbc.update(c, "update pe_instance set name = ?, body = ?, updated_at = ? where id = ?", name, body, now, id);
            // a resource removed and added back later starts fresh (no backfill), as a new one does
            if (resources.isEmpty()) {
                Jdbc.update(c, "delete from pe_watermark where instance_id = ?", id);
            } else {
                Jdbc.update(c, "delete from pe_watermark where instance_id = ? and resource not in ("
                        + Jdbc.marks(resources.size()) + ")",
                        concat(id, resources));
            }
            initWatermarks(c, id, resources, now);
            return null;
        });
    }

    private static Object[] concat(long id, List<String> resources) {
        Object[] args = new Object[resources.size() + 1];
        args[0] = id;
        for (int i = 0; i < resources.size(); i++) {
            args[i + 1] = resources.get(i);
        }
        return args;
    }

    private static void initWatermarks(Connection c, long id, List<String> resources, long at) throws SQLException {
        for (String resource : resources) {
            Jdbc.update(c, "insert into pe_watermark (instance_id, resource, watermark_ms, ids_at_watermark) "
                    + "select ?, ?, ?, '[]' where not exists (select 1 from pe_watermark where instance_id = ? and resource = ?)",
                    id, resource, at, id, resource);
        }
    }

    @Override
    public boolean delete(long id) {
        // its notifications go with it (on delete cascade) while delivery may be writing their outcomes
        return jdbc.inTransactionRetryingDeadlocks("delete instance " + id, c -> {
            Jdbc.update(c, "delete from pe_watermark where instance_id = ?", id);
            Jdbc.update(c, "delete from pe_oauth_token where instance_id = ?", id);
            return Jdbc.update(c, "delete from pe_instance where id = ?", id) > 0;
        });
    }

    @Override
    public Optional<StoredInstance> find(long id) {
        return jdbc.query("find instance " + id, "select " + COLUMNS + " from pe_instance where id = ?", JdbcInstanceStore::row, id)
                .stream().findFirst();
    }

    @Override
    public List<StoredInstance> findAll() {
        return jdbc.query("list instances", "select " + COLUMNS + " from pe_instance order by id", JdbcInstanceStore::row);
    }

    @Override
    public List<StoredInstance> page(long afterId, String search, int limit) {
        if (search == null || search.isBlank()) {
            return jdbc.query("list instances after " + afterId, "select " + COLUMNS + " from pe_instance where id > ? order by id limit ?",
                    JdbcInstanceStore::row, afterId, limit);
        }
        String pattern = "%" + likeEscaped(search.trim().toLowerCase(java.util.Locale.ROOT)) + "%";
        return jdbc.query("search instances after " + afterId, "select " + COLUMNS + " from pe_instance where id > ?"
                + " and (lower(name) like ? escape '!' or lower(body) like ? escape '!') order by id limit ?",
                JdbcInstanceStore::row, afterId, pattern, pattern, limit);
    }

    /** The text with LIKE's wildcards and the escape character '!' taken literally. */
    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public java.util.Map<Long, Long> versions() {
        java.util.Map<Long, Long> versions = new java.util.HashMap<>();
        jdbc.query("list instance versions", "select id, updated_at from pe_instance",
                rs -> versions.put(rs.getLong(1), rs.getLong(2)));
        return versions;
    }

    private static StoredInstance row(ResultSet rs) throws SQLException {
        return new StoredInstance(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7));
    }
}
