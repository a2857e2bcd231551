package io.pollingevents;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every engine setting is declared once, in {@link EngineSetting}; this test fails when a copy elsewhere drifts: the
 * reference table in docs/configuration.md, the Karaf defaults, application.properties, the YAML routes and the
 * settings the README and docs name.
 */
class SettingsDriftTest {
    private static final Path DOCS_CONFIGURATION = Path.of("docs/configuration.md");
    private static final String TABLE_START = "<!-- settings-table:start -->";
    private static final String TABLE_END = "<!-- settings-table:end -->";
    private static final Pattern POLLING_KEY = Pattern.compile("\\bpolling\\.[a-z]+(?:[.-][a-z]+)+");

    @Test
    void docsConfigurationTableIsGeneratedFromTheCatalog() throws IOException {
        String doc = Files.readString(DOCS_CONFIGURATION);
        int start = doc.indexOf(TABLE_START);
        int end = doc.indexOf(TABLE_END);
        assertThat(start).as("%s needs the marker lines %s and %s", DOCS_CONFIGURATION, TABLE_START, TABLE_END).isNotNegative();
        assertThat(end).isGreaterThan(start);
        String table = doc.substring(start + TABLE_START.length(), end).strip() + "\n";
        assertThat(table).as("the settings table of %s is out of date; replace it with EngineSetting.markdownTable():%n%s",
                DOCS_CONFIGURATION, EngineSetting.markdownTable()).isEqualTo(EngineSetting.markdownTable());
    }

    @Test
    void applicationPropertiesSetsNoEngineSetting() throws IOException {
        Properties properties = properties(Path.of("src/main/resources/application.properties"));
        assertThat(properties.stringPropertyNames().stream().filter(k -> k.startsWith("polling.")))
                .as("polling.* defaults live in EngineSetting only").isEmpty();
    }

    @Test
    void karafDefaultsAreTheCatalogs() throws IOException {
        String blueprint = Files.readString(Path.of("src/main/resources/OSGI-INF/blueprint/polling-events.xml"));
        Matcher m = Pattern.compile("<cm:property name=\"([^\"]+)\" value=\"([^\"]*)\"/>").matcher(blueprint);
        int found = 0;
        while (m.find()) {
            found++;
            assertKarafDefault(m.group(1), m.group(2), "blueprint default");
        }
        assertThat(found).isPositive();
        Properties cfg = properties(Path.of("etc/io.pollingevents.cfg"));
        assertThat(cfg.stringPropertyNames()).isNotEmpty();
        for (String key : cfg.stringPropertyNames()) {
            assertKarafDefault(key, cfg.getProperty(key), "etc/io.pollingevents.cfg");
        }
    }

    @Test
    void routesUseSettingsWithoutTheirOwnDefaults() throws IOException {
        for (Path route : files(Path.of("routes"), ".yaml")) {
            Matcher m = Pattern.compile("\\{\\{(polling\\.[^}:]+)(:[^}]*)?}}").matcher(Files.readString(route));
            while (m.find()) {
                assertThat(EngineSetting.byKey(m.group(1))).as("%s uses unknown setting %s", route, m.group(1)).isPresent();
                assertThat(m.group(2)).as("%s repeats the default of %s; EngineSetting declares it", route, m.group(1)).isNull();
            }
        }
    }

    @Test
    void everySettingTheDocsNameExistsWithItsDefault() throws IOException {
        List<Path> docs = new ArrayList<>(files(Path.of("docs"), ".md"));
        docs.add(Path.of("README.md"));
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher key = POLLING_KEY.matcher(text);
            while (key.find()) {
                assertThat(EngineSetting.byKey(key.group()))
                        .as("%s names %s, which is not a setting of EngineSetting", doc, key.group()).isPresent();
            }
            // rows of settings tables: | `key` | `default` | ...
            Matcher row = Pattern.compile("(?m)^\\| `(polling\\.[^`]+)` \\| `([^`]*)` \\|").matcher(text);
            while (row.find()) {
                EngineSetting setting = EngineSetting.byKey(row.group(1)).orElseThrow();
                assertThat(row.group(2)).as("%s shows the default of %s", doc, setting.key())
                        .isIn(setting.defaultValue(), setting.karafDefault());
            }
        }
    }

    private static void assertKarafDefault(String key, String value, String where) {
        EngineSetting setting = EngineSetting.byKey(key).orElse(null);
        assertThat(setting).as("%s sets %s, which is not a setting of EngineSetting", where, key).isNotNull();
        assertThat(value).as("%s of %s", where, key).isEqualTo(setting.karafDefault());
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
