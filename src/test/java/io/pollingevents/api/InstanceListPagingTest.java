package io.pollingevents.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.route.StoredInstances;
import io.pollingevents.store.Database;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.JdbcOutboxStore;
import io.pollingevents.store.JdbcTokenStore;
import io.pollingevents.store.JdbcWatermarkStore;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.SecretCipher;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GET /instances pages like Open Connectors lists, searches names and tags, and reads a page in a fixed number of queries. */
class InstanceListPagingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Database database;
    final AtomicInteger statements = new AtomicInteger();
    JdbcInstanceStore store;
    JdbcTokenStore tokens;
    StoredInstances stored;
    InstanceQueries queries;
    ElementRegistry elements;

    /** A fresh, migrated database for one test: H2 here, PostgreSQL in {@link PostgresInstanceListPagingTest}. */
    Database openDatabase() throws Exception {
        return Database.open("jdbc:h2:mem:paging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
    }

    @BeforeEach
    void open() throws Exception {
        database = openDatabase();
        DataSource counted = counting(database.dataSource());
        elements = ElementRegistry.load(Path.of("elements"));
        SecretCipher cipher = SecretCipher.fromConfiguration("", dir.resolve("secrets.key"));
        store = new JdbcInstanceStore(counted);
        tokens = new JdbcTokenStore(counted, cipher);
        stored = new StoredInstances(JSON, new InstanceParser(JSON, elements), elements, cipher);
        queries = new InstanceQueries(JSON, elements, store, stored, new InstanceCatalog(), new JdbcWatermarkStore(counted),
                new JdbcOutboxStore(counted, database.dialect()), tokens);
    }

    void closeDatabase() throws Exception {
        database.close();
    }

    @AfterEach
    void close() throws Exception {
        closeDatabase();
    }

    long create(String example, String name, String... tags) throws Exception {
        ObjectNode body = Seeds.example(example);
        body.put("name", name);
        ArrayNode tagArray = body.putArray("tags");
        for (String tag : tags) {
            tagArray.add(tag);
        }
        List<String> resources = new ArrayList<>();
        body.path("configuration").path("event.poller.configuration").fieldNames().forEachRemaining(resources::add);
        String text = stored.storedText(body, elements.find(example).orElseThrow());
        return store.insert(UUID.randomUUID().toString(), example, name, text, System.currentTimeMillis(), resources).id();
    }

    List<String> names(InstancePage page) {
        List<String> names = new ArrayList<>();
        page.instances().forEach(i -> names.add(i.path("name").asText()));
        return names;
    }

    @Test
    void pagesFollowTheTokenUntilTheLastPageHasNone() throws Exception {
        for (int i = 1; i <= 7; i++) {
            create("smartrecruiters", "sr-" + i);
        }
        InstancePage first = queries.list("3", null, null);
        InstancePage second = queries.list("3", first.nextPageToken(), null);
        InstancePage third = queries.list("3", second.nextPageToken(), null);

        assertThat(names(first)).containsExactly("sr-1", "sr-2", "sr-3");
        assertThat(names(second)).containsExactly("sr-4", "sr-5", "sr-6");
        assertThat(names(third)).containsExactly("sr-7");
        assertThat(third.nextPageToken()).isNull();
        assertThat(queries.list(null, null, null).instances()).hasSize(7);
        assertThat(queries.list("7", null, null).nextPageToken()).as("exactly one full page").isNull();
    }

    @Test
    void eachListedInstanceShowsItsResourcesCountsAndOAuthState() throws Exception {
        long sr = create("smartrecruiters", "sr");
        long max = create("maximizer", "max");
        tokens.save(max, new OAuthTokens("a", "r", 1L).withRefreshFailure("invalid_grant", 2L));

        ArrayNode list = queries.list(null, null, null).instances();

        JsonNode srView = list.get(0);
        assertThat(srView.path("id").asLong()).isEqualTo(sr);
        assertThat(srView.path("resources").get(0).path("name").asText()).isEqualTo("candidates");
        assertThat(srView.path("resources").get(0).path("deadNotifications").asLong()).isZero();
        assertThat(srView.path("configuration").path("api.key").asText()).isEqualTo("********");
        assertThat(srView.has("oauth")).isFalse();
        assertThat(list.get(1).path("resources")).hasSize(2);
        assertThat(list.get(1).path("oauth").path("state").asText()).isEqualTo("refresh-failed");
        assertThat(list.get(1)).isEqualTo(queries.get(max));
    }

    @Test
    void aPageTakesTheSameNumberOfQueriesForThreeInstancesAsForThirty() throws Exception {
        for (int i = 0; i < 3; i++) {
            create(i % 2 == 0 ? "smartrecruiters" : "maximizer", "i" + i);
        }
        statements.set(0);
        assertThat(queries.list("50", null, null).instances()).hasSize(3);
        int forThree = statements.get();
        for (int i = 3; i < 30; i++) {
            create(i % 2 == 0 ? "smartrecruiters" : "maximizer", "i" + i);
        }
        statements.set(0);
        assertThat(queries.list("50", null, null).instances()).hasSize(30);

        assertThat(statements.get()).isEqualTo(forThree).isEqualTo(4);
    }

    @Test
    void searchFindsANamePartOrATagIgnoringCaseButNotOtherBodyText() throws Exception {
        create("smartrecruiters", "Recruiting EU", "prod");
        create("smartrecruiters", "Recruiting US", "staging");
        create("maximizer", "CRM", "Prod-EU");
        create("maximizer", "other", "x");

        assertThat(names(queries.list(null, null, "recruiting"))).containsExactly("Recruiting EU", "Recruiting US");
        assertThat(names(queries.list(null, null, "PROD"))).containsExactly("Recruiting EU", "CRM");
        assertThat(names(queries.list(null, null, "eu"))).containsExactly("Recruiting EU", "CRM");
        assertThat(names(queries.list(null, null, "humancapital"))).as("text of the body outside name and tags").isEmpty();
        assertThat(names(queries.list(null, null, "100%_"))).isEmpty();
    }

    @Test
    void aSearchPageCarriesOnFromWhereTheLastOneStopped() throws Exception {
        for (int i = 1; i <= 5; i++) {
            create("smartrecruiters", "match-" + i);
            create("smartrecruiters", "skip-" + i);
        }
        InstancePage first = queries.list("2", null, "match");
        InstancePage second = queries.list("2", first.nextPageToken(), "match");
        InstancePage third = queries.list("2", second.nextPageToken(), "match");

        assertThat(names(first)).containsExactly("match-1", "match-2");
        assertThat(names(second)).containsExactly("match-3", "match-4");
        assertThat(names(third)).containsExactly("match-5");
        assertThat(third.nextPageToken()).isNull();
    }

    @Test
    void badPageSizesAndTokensAreRefusedWithTheAllowedValues() {
        assertThatThrownBy(() -> queries.list("0", null, null)).hasMessageContaining("pageSize: '0' is not a number from 1 to 500");
        assertThatThrownBy(() -> queries.list("501", null, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> queries.list("ten", null, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> queries.list(null, "not-a-token", null))
                .hasMessageContaining("pass the elements-next-page-token header of the previous page unchanged")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    /** Counts the statements the stores prepare. */
    DataSource counting(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (method.getName().equals("getConnection")) {
                        Connection connection = (Connection) result;
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p, m, a) -> {
                                    if (m.getName().startsWith("prepare")) {
                                        statements.incrementAndGet();
                                    }
                                    return invoke(connection, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
