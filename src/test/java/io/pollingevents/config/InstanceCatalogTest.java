package io.pollingevents.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.element.ElementRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceCatalogTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private InstanceDefinition instance(long id) throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                Files.readString(Path.of("examples", "smartrecruiters.json")));
        return new InstanceParser(mapper, ElementRegistry.load(null)).parse(body)
                .withIdentity(id, "token-" + id, Instant.ofEpochMilli(1_000));
    }

    @Test
    void emptyCatalogKnowsNothing() {
        InstanceCatalog catalog = new InstanceCatalog();

        assertThat(catalog.find(1)).isEmpty();
        assertThat(catalog.version(1)).isNull();
        assertThat(catalog.ids()).isEmpty();
    }

    @Test
    void putAddsAndReplacesByIdWithItsVersion() throws Exception {
        InstanceCatalog catalog = new InstanceCatalog();
        InstanceDefinition first = instance(1);
        InstanceDefinition second = instance(2);
        catalog.put(first, 100);
        catalog.put(second, 200);

        assertThat(catalog.find(1)).containsSame(first);
        assertThat(catalog.version(1)).isEqualTo(100L);
        assertThat(catalog.version(2)).isEqualTo(200L);
        assertThat(catalog.find(2)).containsSame(second);
        assertThat(catalog.ids()).containsExactlyInAnyOrder(1L, 2L);

        InstanceDefinition replacement = instance(1);
        catalog.put(replacement, 300);

        assertThat(catalog.find(1)).containsSame(replacement);
        assertThat(catalog.version(1)).isEqualTo(300L);
        assertThat(catalog.ids()).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void removeForgetsInstanceAndVersion() throws Exception {
        InstanceCatalog catalog = new InstanceCatalog();
        catalog.put(instance(1), 100);
        catalog.put(instance(2), 200);

        catalog.remove(1);

        assertThat(catalog.find(1)).isEmpty();
        assertThat(catalog.version(1)).isNull();
        assertThat(catalog.ids()).containsExactly(2L);
        assertThat(catalog.find(2)).isPresent();
        assertThat(catalog.version(2)).isEqualTo(200L);
    }
}
