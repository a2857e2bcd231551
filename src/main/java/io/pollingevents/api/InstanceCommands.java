package io.pollingevents.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.config.InstancePatch;
import io.pollingevents.config.InvalidInstanceException;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.hub.OAuth2Client;
import io.pollingevents.hub.OAuth2Exception;
import io.pollingevents.route.InstanceReconciler;
import io.pollingevents.route.StoredInstances;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.store.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates, changes and deletes instances: validates the body, exchanges an OAuth2 code, stores the result and hands
 * it to the {@link InstanceReconciler}, so API changes take effect without a restart. Nothing here holds a lock while
 * it talks to a token endpoint.
 */
public final class InstanceCommands {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceCommands.class);

    private final InstanceParser parser;
    private final ElementRegistry elements;
    private final InstanceStore store;
    private final StoredInstances stored;
    private final TokenStore tokens;
    private final OAuth2Client oauth;
    private final InstanceReconciler reconciler;
    private final InstanceQueries views;
    private final Clock clock;

    public InstanceCommands(InstanceParser parser, ElementRegistry elements, InstanceStore store, StoredInstances stored,
                            TokenStore tokens, OAuth2Client oauth, InstanceReconciler reconciler, InstanceQueries views, Clock clock) {
        this.parser = parser;
        this.elements = elements;
        this.store = store;
        this.stored = stored;
        this.tokens = tokens;
        this.oauth = oauth;
        this.reconciler = reconciler;
        this.views = views;
        this.clock = clock;
    }

    /** POST: returns the created instance with its id and token. */
    public ObjectNode create(String text) throws Exception {
        InstanceDefinition parsed = parser.parse(parser.readBody(text));
        ElementDescriptor element = elements.find(parsed.elementKey(), parsed.config(ConfigKeys.HUB_MODE)).orElseThrow();
        OAuthTokens grant = element.auth().isOAuth2() ? exchangeCode(parsed, element) : null;
        Instant createdAt = Instant.ofEpochMilli(clock.millis());
        String token = UUID.randomUUID().toString();
        StoredInstance row = store.insert(token, parsed.elementKey(), parsed.name(), stored.storedText(parsed.body(), element),
                createdAt.toEpochMilli(), parsed.resources().stream().map(ResourceConfig::name).toList());
        if (grant != null) {
            tokens.save(row.id(), grant);
        }
        InstanceDefinition instance = parsed.withIdentity(row.id(), token, createdAt);
        reconciler.run(instance, row.updatedAt());
        LOG.info("Created instance {} ({}) of element {} with {} resources", instance.id(), instance.name(),
                instance.elementKey(), instance.resources().size());
        ObjectNode view = views.view(instance, row.updatedAt());
        view.put("token", token);
        return view;
    }

    /** PATCH: merges the change, validates the result, stores it and restarts the instance's routes. */
    public ObjectNode patch(long id, String text) throws Exception {
        StoredInstance row = store.find(id).orElseThrow(() -> ApiException.noInstance(id));
        ObjectNode before = stored.body(row);
        ObjectNode merged = InstancePatch.apply(before, parser.readBody(text));
        InstanceDefinition instance = parser.parse(merged)
                .withIdentity(id, row.token(), Instant.ofEpochMilli(row.createdAt()));
        ElementDescriptor element = elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElseThrow();
        String newCode = merged.path("providerData").path("code").asText(null);
        if (element.auth().isOAuth2() && newCode != null && !newCode.equals(before.path("providerData").path("code").asText(null))) {
            tokens.save(id, exchangeCode(instance, element)); // a fresh grant clears a failed refresh
        }
        long now = clock.millis();
        store.update(id, instance.name(), stored.storedText(instance.body(), element), now,
                instance.resources().stream().map(ResourceConfig::name).toList());
        reconciler.run(instance, now);
        LOG.info("Updated instance {} ({}); its routes were restarted", id, instance.name());
        return views.view(instance, now);
    }

    /** DELETE: removes the instance with its watermarks and tokens, then stops its routes and triggers. */
    public void delete(long id) throws Exception {
        if (!store.delete(id)) {
            throw ApiException.noInstance(id);
        }
        reconciler.deleted(id);
        LOG.info("Deleted instance {}", id);
    }

    private OAuthTokens exchangeCode(InstanceDefinition instance, ElementDescriptor element) {
        try {
            return oauth.exchangeCode(instance, element);
        } catch (OAuth2Exception e) {
            throw new InvalidInstanceException("providerData.code", "the authorization code could not be exchanged for tokens: "
                    + e.getMessage() + "; get a fresh code and try again");
        }
    }
}
