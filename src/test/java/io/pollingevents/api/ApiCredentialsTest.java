package io.pollingevents.api;

import io.pollingevents.store.Database;
import io.pollingevents.store.JdbcSettingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void generatesSecretsOnceStoresThemAndPrintsThemOnlyTheFirstTime() {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
        PrintStream original = System.out;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ApiCredentials generated;
        ApiCredentials reloaded;
        try {
            System.setOut(new PrintStream(first, true));
            try (Database db = Database.open(url, "sa", "", 2)) {
                generated = ApiCredentials.resolve(null, "", new JdbcSettingStore(db.dataSource()));
            }
            System.setOut(new PrintStream(second, true));
            try (Database db = Database.open(url, "sa", "", 2)) {
                reloaded = ApiCredentials.resolve(null, null, new JdbcSettingStore(db.dataSource()));
            }
        } finally {
            System.setOut(original);
        }
        assertThat(first.toString()).contains(generated.header());
        assertThat(second.toString()).doesNotContain("Organization");
        assertThat(reloaded.header()).isEqualTo(generated.header());
        reloaded.check(generated.header());
    }

    @Test
    void acceptsBothSecretsInAnyOrderAndRejectsOthers() {
        ApiCredentials credentials = new ApiCredentials("u1", "o1");
        credentials.check("User u1, Organization o1");
        credentials.check("Organization o1, User u1, Element abc");
        assertThatThrownBy(() -> credentials.check("User u1")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
        assertThatThrownBy(() -> credentials.check(null)).hasMessageContaining("Authorization: User <secret>, Organization <secret>");
    }
}
