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
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.store.TokenStore;
import io.pollingevents.store.WatermarkStore;

import java.time.Instant;

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

    public ArrayNode list() {
        ArrayNode list = mapper.createArrayNode();
        for (StoredInstance row : store.findAll()) {
            list.add(viewOf(row));
        }
        return list;
    }

    public ObjectNode get(long id) {
        return viewOf(store.find(id).orElseThrow(() -> ApiException.noInstance(id)));
    }

    /** The view of an instance as stored at {@code updatedAt}. */
    ObjectNode view(InstanceDefinition instance, long updatedAt) {
        ElementDescriptor element = elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElse(null);
        ObjectNode view = InstanceView.render(mapper, instance, element, watermarks.states(instance.id()), outbox.counts(instance.id()), updatedAt);
        if (element != null && element.auth().isOAuth2()) {
            ObjectNode state = view.putObject("oauth");
            tokens.find(instance.id()).ifPresentOrElse(t -> {
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

    private ObjectNode viewOf(StoredInstance row) {
        InstanceDefinition instance = catalog.find(row.id()).orElse(null);
        if (instance == null) {
            try {
                instance = stored.definition(row);
            } catch (Exception e) {
                return invalidView(row, e);
            }
        }
        return view(instance, row.updatedAt());
    }

    private ObjectNode invalidView(StoredInstance row, Exception e) {
        ObjectNode view = mapper.createObjectNode();
        view.put("id", row.id());
        view.put("name", row.name());
        view.putObject("element").put("key", row.elementKey());
        view.put("error", "this stored instance is no longer valid and is not polled: " + e.getMessage() + "; fix it with PATCH");
        return view;
    }
}
