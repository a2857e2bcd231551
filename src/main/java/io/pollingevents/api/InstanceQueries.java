package io.pollingevents.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.route.StoredInstances;
import io.pollingevents.store.DeliveryCounts;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.ResourceState;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.store.TokenStore;
import io.pollingevents.store.WatermarkStore;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Answers GET on instances: each with its resources' poll state, outbox counts and OAuth2 state, secrets masked. */
public final class InstanceQueries {
    private final ObjectMapper mapper;
    private final ElementRegistry elements;
    private final InstanceStore store;
    private final StoredInstances stored;
    private final InstanceCatalog catalog;
    private final WatermarkStore watermarks;
    private final OutboxStore outbox;
    private final TokenStore tokens;

    public InstanceQueries(ObjectMapper mapper, ElementRegistry elements, InstanceStore store, StoredInstances stored,
                           InstanceCatalog catalog, WatermarkStore watermarks, OutboxStore outbox, TokenStore tokens) {
        this.mapper = mapper;
        this.elements = elements;
        this.store = store;
        this.stored = stored;
        this.catalog = catalog;
        this.watermarks = watermarks;
        this.outbox = outbox;
        this.tokens = tokens;
    }

    /**
     * The page of instances after the one {@code nextPage} names, read in four queries whatever its size (instances,
     * resource states, outbox counts, OAuth2 tokens). With {@code search}, only instances whose name or one of whose
     * tags contains it, ignoring case; such a page may hold fewer than {@code pageSize} instances while more follow.
     */
    public InstancePage list(String pageSize, String nextPage, String search) {
        int size = InstancePage.size(pageSize);
        long after = InstancePage.afterId(nextPage);
        List<StoredInstance> rows = store.page(after, search, size + 1);
        boolean more = rows.size() > size;
        List<StoredInstance> scanned = more ? rows.subList(0, size) : rows;
        List<Long> ids = scanned.stream().map(StoredInstance::id).toList();
        Map<Long, List<ResourceState>> states = watermarks.statesOf(ids);
        Map<Long, List<DeliveryCounts>> counts = outbox.countsOf(ids).stream()
                .collect(Collectors.groupingBy(DeliveryCounts::instanceId));
        Map<Long, OAuthTokens> tokenRows = tokens.findAll(ids);
        ArrayNode list = mapper.createArrayNode();
        String wanted = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
        for (StoredInstance row : scanned) {
            Parsed parsed = parse(row);
            if (!wanted.isEmpty() && !matches(row, parsed.instance(), wanted)) {
                continue;
            }
            list.add(parsed.instance() == null ? invalidView(row, parsed.problem())
                    : view(parsed.instance(), row.updatedAt(), states.getOrDefault(row.id(), List.of()),
                    counts.getOrDefault(row.id(), List.of()), Optional.ofNullable(tokenRows.get(row.id()))));
        }
        return new InstancePage(list, more ? InstancePage.tokenAfter(scanned.get(scanned.size() - 1).id()) : null);
    }

    private static boolean matches(StoredInstance row, InstanceDefinition instance, String wanted) {
        return row.name().toLowerCase(Locale.ROOT).contains(wanted)
                || instance != null && instance.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(wanted));
    }

    public ObjectNode get(long id) {
        StoredInstance row = store.find(id).orElseThrow(() -> ApiException.noInstance(id));
        Parsed parsed = parse(row);
        return parsed.instance() == null ? invalidView(row, parsed.problem()) : view(parsed.instance(), row.updatedAt());
    }

    /** The view of an instance as stored at {@code updatedAt}. */
    ObjectNode view(InstanceDefinition instance, long updatedAt) {
        return view(instance, updatedAt, watermarks.states(instance.id()), outbox.counts(instance.id()), tokens.find(instance.id()));
    }

    private ObjectNode view(InstanceDefinition instance, long updatedAt, List<ResourceState> states, List<DeliveryCounts> counts,
                            Optional<OAuthTokens> instanceTokens) {
        ElementDescriptor element = elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElse(null);
        ObjectNode view = InstanceView.render(mapper, instance, element, states, counts, updatedAt);
        if (element != null && element.auth().isOAuth2()) {
            ObjectNode state = view.putObject("oauth");
            instanceTokens.ifPresentOrElse(t -> {
                state.put("state", t.refreshFailed() ? "refresh-failed" : "ok");
                state.put("accessTokenExpires", t.expiresAtMs() == null ? null : Instant.ofEpochMilli(t.expiresAtMs()).toString());
                if (t.refreshFailed()) {
                    state.put("lastRefreshError", t.refreshError());
                    state.put("failedRefreshes", t.refreshFailures());
                    state.put("nextRefreshAttempt", t.nextRefreshAt() == null ? null : Instant.ofEpochMilli(t.nextRefreshAt()).toString());
                    state.put("fix", "if the grant was revoked, PATCH the instance with a fresh providerData.code");
                }
            }, () -> state.put("state", "no-tokens"));
        }
        return view;
    }

    /** A stored row as an instance definition, or why it is no longer valid. */
    private record Parsed(InstanceDefinition instance, String problem) {
    }

    /** The instance as this node runs it, else parsed from its row. */
    private Parsed parse(StoredInstance row) {
        InstanceDefinition instance = catalog.find(row.id()).orElse(null);
        if (instance != null) {
            return new Parsed(instance, null);
        }
        try {
            return new Parsed(stored.definition(row), null);
        } catch (Exception e) {
            return new Parsed(null, e.getMessage());
        }
    }

    private ObjectNode invalidView(StoredInstance row, String problem) {
        ObjectNode view = mapper.createObjectNode();
        view.put("id", row.id());
        view.put("name", row.name());
        view.putObject("element").put("key", row.elementKey());
        view.put("error", "this stored instance is no longer valid and is not polled: " + problem + "; fix it with PATCH");
        return view;
    }
}
