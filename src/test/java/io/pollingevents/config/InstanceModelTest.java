package io.pollingevents.config;

import io.pollingevents.element.VendorCall;
import java.time.Duration;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.element.Pagination;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The small types of the instance model: definition look-ups, resource dates, field errors. */
class InstanceModelTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final InstanceParser parser = new InstanceParser(mapper, ElementRegistry.load(null));

    private InstanceDefinition maximizer() throws Exception {
        return parser.parse((ObjectNode) mapper.readTree(Files.readString(Path.of("examples", "maximizer.json"))));
    }

    @Test
    void resourceFindsByName() throws Exception {
        InstanceDefinition def = maximizer();

        assertThat(def.resource("companies").url()).startsWith("/hubs/crm/companies");
        assertThat(def.resource("contacts").url()).startsWith("/hubs/crm/contacts");
        assertThat(def.resource("accounts")).isNull();
    }

    @Test
    void configReadsValuesAsTextAndNullWhenAbsent() throws Exception {
        ObjectNode body = (ObjectNode) mapper.readTree(Files.readString(Path.of("examples", "maximizer.json")));
        ((ObjectNode) body.get("configuration")).putNull("base.url");
        InstanceDefinition def = parser.parse(body);

        assertThat(def.config("event.notification.enabled")).isEqualTo("true");
        assertThat(def.config("event.poller.refresh_interval")).isEqualTo("15");
        assertThat(def.config("base.url")).isNull();
        assertThat(def.config("no.such.key")).isNull();
    }

    @Test
    void withIdentityKeepsEverythingElse() throws Exception {
        InstanceDefinition def = maximizer();

        InstanceDefinition stored = def.withIdentity(42, "tok", Instant.ofEpochSecond(7));

        assertThat(stored.id()).isEqualTo(42);
        assertThat(stored.token()).isEqualTo("tok");
        assertThat(stored.createdAt()).isEqualTo(Instant.ofEpochSecond(7));
        assertThat(stored).usingRecursiveComparison().ignoringFields("id", "token", "createdAt").isEqualTo(def);
    }

    @Test
    void changeDateIsTheUpdatedDateElseTheCreatedDate() {
        DateField updated = new DateField("updatedOn", null, null, ZoneOffset.UTC);
        DateField created = new DateField("createdOn", null, null, ZoneOffset.UTC);

        assertThat(resource(updated, created).changeDate()).isSameAs(updated);
        assertThat(resource(updated, null).changeDate()).isSameAs(updated);
        assertThat(resource(null, created).changeDate()).isSameAs(created);
        assertThat(resource(null, null).changeDate()).isNull();
    }

    @Test
    void hasNoDatesOnlyWithoutBoth() {
        DateField date = new DateField("d", null, null, ZoneOffset.UTC);

        assertThat(resource(null, null).hasNoDates()).isTrue();
        assertThat(resource(date, null).hasNoDates()).isFalse();
        assertThat(resource(null, date).hasNoDates()).isFalse();
        assertThat(resource(date, date).hasNoDates()).isFalse();
    }

    @Test
    void fieldErrorPrintsPathThenMessage() {
        assertThat(new FieldError("name", "required")).hasToString("name: required");
    }

    @Test
    void invalidInstanceJoinsItsErrors() {
        InvalidInstanceException e = new InvalidInstanceException(List.of(new FieldError("a", "x"), new FieldError("b", "y")));

        assertThat(e.getMessage()).isEqualTo("a: x; b: y");
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("a", "b");
        assertThat(new InvalidInstanceException("c", "z").errors()).containsExactly(new FieldError("c", "z"));
    }

    private static ResourceConfig resource(DateField updated, DateField created) {
        return new ResourceConfig("r", "/hubs/r", "id", updated, created,
                new VendorCall("GET", "/hubs/r", null, "", Pagination.NONE, null, false), Duration.ZERO);
    }
}
