package io.pollingevents.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine upgraded over a database with pending notifications (schema version 5, bodies in pe_notification) sends
 * them with the bodies they were stored with: migration 6 moves each body to pe_notification_body.
 */
class NotificationBodyMigrationTest {
    @TempDir
    Path dir;

    @Test
    void pendingNotificationsKeepTheirBodiesAcrossTheUpgrade() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("engine");
        Flyway.configure(getClass().getClassLoader()).dataSource(url, "sa", "")
                .locations("classpath:db/migration", "classpath:db/migration-h2").target("5").load().migrate();
        String body = "{\"message\":{\"events\":[{\"objectId\":\"c1\"}],\"raw\":\"" + "x".repeat(6_000) + "\"}}";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("insert into pe_instance (token, element_key, name, body, created_at, updated_at)"
                    + " values ('t', 'demo', 'acme', '{}', 1, 1)");
            try (PreparedStatement ps = c.prepareStatement("insert into pe_notification (id, instance_id, resource, body, status,"
                    + " event_count, attempts, created_at, next_attempt_at) select 'n1', id, 'contacts', ?, 'PENDING', 1, 0, 1, 1"
                    + " from pe_instance")) {
                ps.setString(1, body);
                ps.executeUpdate();
            }
            c.createStatement().execute("insert into pe_event (id, notification_id, instance_id, resource, object_id, event_type,"
                    + " event_date) select 'n1/c1', 'n1', id, 'contacts', 'c1', 'CREATED', 1 from pe_instance");
        }

        Database upgraded = Database.open(url, "sa", "", 2);
        try {
            OutboxStore outbox = new JdbcOutboxStore(upgraded.dataSource(), upgraded.dialect());
            List<OutboxNotification> claimed = outbox.claimDue("node", 10, 60_000, 8, 8);
            assertThat(claimed).extracting(OutboxNotification::id, OutboxNotification::body).containsExactly(
                    org.assertj.core.api.Assertions.tuple("n1", body));
            long instanceId = claimed.get(0).instanceId();
            assertThat(outbox.notificationBody(instanceId, "n1/c1")).contains(body);
        } finally {
            upgraded.close();
        }
    }
}
