package io.pollingevents.store;

import javax.sql.DataSource;
import java.util.Optional;

/** {@link SettingStore} on H2 or PostgreSQL. */
public final class JdbcSettingStore implements SettingStore {
    private final Jdbc jdbc;

    public JdbcSettingStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Optional<String> get(String name) {
        return jdbc.query("read setting " + name, "select setting_value from pe_setting where setting_name = ?", rs -> rs.getString(1), name)
                .stream().findFirst();
    }

    @Override
    public String putIfAbsent(String name, String value) {
        jdbc.update("store setting " + name,
                "insert into pe_setting (setting_name, setting_value) select ?, ? where not exists (select 1 from pe_setting where setting_name = ?)",
                name, value, name);
        return get(name).orElseThrow();
    }
}
