package io.pollingevents.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A WireMock stand-in for Maximizer Octopus' {@code POST /Read} of address book entries, as its public docs show it:
 * a Bearer token, {@code Criteria.SearchQuery.$AND} with {@code Type $EQ} and a strict {@code LastModifyDate $GT} on
 * dates of one-second precision, only the fields {@code Scope} names, {@code OrderBy} oldest first, pages of
 * {@code PageSize} continued with {@code OrderBy.PageKey} (the next key answered at {@code AbEntry.PageKey}), and
 * errors as HTTP 200 with a negative {@code Code}. Use with {@code post("/Read").willReturn(aResponse().withTransformers(NAME))}.
 */
public final class FakeOctopus implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "fake-octopus";
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String key, String type, Instant modified, String name) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private volatile String token = "access-1";
    private volatile int errorCode;

    /** Adds or changes an entry; its LastModifyDate is kept, as Octopus does, to the second. */
    public synchronized void put(String key, String type, Instant modified) {
        entries.removeIf(e -> e.key().equals(key));
        entries.add(new Entry(key, type, modified.truncatedTo(ChronoUnit.SECONDS), "Name of " + key));
    }

    /** The access token requests must carry. */
    public void acceptToken(String accessToken) {
        token = accessToken;
    }

    /** Answers every request with this negative Code (0 for normal answers). */
    public void failWith(int code) {
        errorCode = code;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        if (!("Bearer " + token).equals(serveEvent.getRequest().getHeader("Authorization"))) {
            return ResponseDefinition.notAuthorised();
        }
        if (errorCode < 0) {
            return ok("{\"Code\":" + errorCode + ",\"Msg\":[\"Invalid search query\"]}");
        }
        try {
            JsonNode read = JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("AbEntry");
            String type = null;
            Instant after = Instant.MIN;
            for (JsonNode condition : read.at("/Criteria/SearchQuery/$AND")) {
                if (condition.has("Type")) {
                    type = condition.path("Type").path("$EQ").asText();
                }
                if (condition.path("LastModifyDate").has("$GT")) {
                    after = OffsetDateTime.parse(condition.path("LastModifyDate").path("$GT").asText(), DATE).toInstant();
                }
            }
            int pageSize = read.at("/OrderBy/PageSize").asInt(100);
            int offset = read.at("/OrderBy/PageKey").isMissingNode() ? 0 : Integer.parseInt(read.at("/OrderBy/PageKey").asText());
            List<Entry> matching = matching(type, after);
            ObjectNode answer = JSON.createObjectNode().put("Code", 0);
            ObjectNode entry = answer.putObject("AbEntry");
            ArrayNode data = entry.putArray("Data");
            for (Entry e : matching.subList(Math.min(offset, matching.size()), Math.min(offset + pageSize, matching.size()))) {
                data.add(scoped(e, read.at("/Scope/Fields")));
            }
            if (offset + pageSize < matching.size()) {
                entry.put("PageKey", Integer.toString(offset + pageSize));
            }
            return ok(answer.toString());
        } catch (Exception e) {
            return ok("{\"Code\":-1,\"Msg\":[\"" + e.getMessage() + "\"]}");
        }
    }

    private synchronized List<Entry> matching(String type, Instant after) {
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if ((type == null || e.type().equals(type)) && e.modified().isAfter(after)) {
                matching.add(e);
            }
        }
        matching.sort(Comparator.comparing(Entry::modified).thenComparing(Entry::key));
        return matching;
    }

    private static ObjectNode scoped(Entry e, JsonNode fields) {
        Map<String, String> all = Map.of("Key", e.key(), "Type", e.type(), "LastModifyDate",
                DATE.format(e.modified().atOffset(ZoneOffset.UTC)), "CompanyName", e.name(), "LastName", e.name());
        ObjectNode out = JSON.createObjectNode();
        fields.fieldNames().forEachRemaining(f -> {
            if (all.containsKey(f)) {
                out.put(f, all.get(f));
            }
        });
        return out;
    }

    private static ResponseDefinition ok(String body) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
