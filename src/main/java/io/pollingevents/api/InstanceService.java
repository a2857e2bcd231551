package io.pollingevents.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.config.InstancePatch;
import io.pollingevents.config.InvalidInstanceException;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.config.SecretFields;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.hub.OAuth2Client;
import io.pollingevents.hub.OAuth2Exception;
import io.pollingevents.route.ResourceRoutes;
import io.pollingevents.store.DeliveryStatus;
import io.pollingevents.store.EventLogEntry;
import io.pollingevents.store.InstanceStore;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.SecretCipher;
import io.pollingevents.store.OAuthTokens;
import io.pollingevents.store.StoredInstance;
import io.pollingevents.store.TokenStore;
import io.pollingevents.store.WatermarkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates, changes and deletes instances: validates the body, stores it, and keeps the running
 * resource routes in step, so API changes take effect without a restart.
 */
public final class InstanceService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);

    private final ObjectMapper mapper;
    private final InstanceParser parser;
    private final ElementRegistry elements;
    private final InstanceStore store;
    private final WatermarkStore watermarks;
    private final OutboxStore outbox;
    private final TokenStore tokens;
    private final OAuth2Client oauth;
    private final InstanceCatalog catalog;
    private final ResourceRoutes routes;
    private final Clock clock;
    private final SecretCipher cipher;

    public InstanceService(ObjectMapper mapper, InstanceParser parser, ElementRegistry elements, InstanceStore store,
                           WatermarkStore watermarks, OutboxStore outbox, TokenStore tokens, OAuth2Client oauth, InstanceCatalog catalog,
                           ResourceRoutes routes, Clock clock, SecretCipher cipher) {
        this.cipher = cipher;
        this.mapper = mapper;
        this.parser = parser;
        this.elements = elements;
        this.store = store;
        this.watermarks = watermarks;
        this.outbox = outbox;
        this.tokens = tokens;
        this.oauth = oauth;
        this.catalog = catalog;
        this.routes = routes;
        this.clock = clock;
    }

    /** Loads every stored instance and starts its routes; an instance that no longer validates is logged and skipped. */
    public void startAll() throws Exception {
        for (StoredInstance stored : store.findAll()) {
            try {
                InstanceDefinition instance = definition(stored);
                catalog.put(instance, stored.updatedAt());
                routes.start(instance);
            } catch (InvalidInstanceException e) {
                LOG.error("Stored instance {} ({}) is no longer valid and is not polled: {}; fix it with PATCH",
                        stored.id(), stored.name(), e.getMessage());
            }
        }
    }

    /**
     * Brings this node in step with the store: starts instances created through another node, restarts
     * changed ones and stops deleted ones. Runs every few seconds.
     */
    public synchronized void reconcile() {
        // every 2 s on every node: compare versions only, read the bodies of changed instances
        java.util.Map<Long, Long> versions = store.versions();
        for (Long id : new java.util.ArrayList<>(catalog.ids())) {
            if (!versions.containsKey(id)) {
                try {
                    routes.stop(id, false);
                    catalog.remove(id);
                    LOG.info("Instance {} was deleted through another node; its routes stopped here", id);
                } catch (Exception e) {
                    LOG.warn("Could not stop the routes of deleted instance {}: {}", id, e.getMessage());
                }
            }
        }
        for (var version : versions.entrySet()) {
            Long running = catalog.version(version.getKey());
            if (running != null && running.longValue() == version.getValue()) {
                continue;
            }
            StoredInstance s = store.find(version.getKey()).orElse(null);
            if (s == null) {
                continue; // deleted meanwhile; the next round stops it
            }
            try {
                InstanceDefinition instance = definition(s);
                catalog.put(instance, s.updatedAt());
                routes.restart(instance);
                LOG.info("Instance {} ({}) was {} through another node; its routes follow here", s.id(), s.name(),
                        running == null ? "created" : "changed");
            } catch (InvalidInstanceException e) {
                catalog.remove(s.id());
                LOG.error("Stored instance {} ({}) is not valid and is not polled: {}", s.id(), s.name(), e.getMessage());
            } catch (Exception e) {
                LOG.warn("Could not start instance {}: {}", s.id(), e.getMessage());
            }
        }
    }

    /** POST: returns the created instance with its id and token. */
    public synchronized ObjectNode create(String text) throws Exception {
        InstanceDefinition parsed = parser.parse(parser.readBody(text));
        ElementDescriptor element = elements.find(parsed.elementKey()).orElseThrow();
        OAuthTokens oauthTokens = null;
        if (element.auth().isOAuth2()) {
            try {
                oauthTokens = oauth.exchangeCode(parsed, element);
            } catch (OAuth2Exception e) {
                throw new InvalidInstanceException("providerData.code", "the authorization code could not be exchanged for tokens: "
                        + e.getMessage() + "; get a fresh code and try again");
            }
        }
        Instant createdAt = Instant.ofEpochMilli(clock.millis());
        String token = UUID.randomUUID().toString();
        StoredInstance stored = store.insert(token, parsed.elementKey(), parsed.name(), write(parsed.body(), element),
                createdAt.toEpochMilli(), parsed.resources().stream().map(ResourceConfig::name).toList());
        if (oauthTokens != null) {
            tokens.save(stored.id(), oauthTokens);
        }
        InstanceDefinition instance = parsed.withIdentity(stored.id(), token, createdAt);
        catalog.put(instance, stored.updatedAt());
        routes.start(instance);
        LOG.info("Created instance {} ({}) of element {} with {} resources", instance.id(), instance.name(),
                instance.elementKey(), instance.resources().size());
        ObjectNode view = view(instance, stored.updatedAt());
        view.put("token", token);
        return view;
    }

    public ArrayNode list() {
        ArrayNode list = mapper.createArrayNode();
        for (StoredInstance stored : store.findAll()) {
            list.add(viewOf(stored));
        }
        return list;
    }

    public ObjectNode get(long id) {
        StoredInstance stored = store.find(id).orElseThrow(() -> notFound(id));
        return viewOf(stored);
    }

    /** PATCH: merges the change, validates the result, stores it and restarts the instance's routes. */
    public synchronized ObjectNode patch(long id, String text) throws Exception {
        StoredInstance stored = store.find(id).orElseThrow(() -> notFound(id));
        ObjectNode before = readStored(stored);
        ObjectNode merged = InstancePatch.apply(before, parser.readBody(text));
        InstanceDefinition instance = parser.parse(merged)
                .withIdentity(id, stored.token(), Instant.ofEpochMilli(stored.createdAt()));
        ElementDescriptor element = elements.find(instance.elementKey()).orElseThrow();
        String newCode = merged.path("providerData").path("code").asText(null);
        if (element.auth().isOAuth2() && newCode != null && !newCode.equals(before.path("providerData").path("code").asText(null))) {
            try {
                tokens.save(id, oauth.exchangeCode(instance, element)); // a fresh grant clears a failed refresh
            } catch (OAuth2Exception e) {
                throw new InvalidInstanceException("providerData.code", "the authorization code could not be exchanged for tokens: "
                        + e.getMessage() + "; get a fresh code and try again");
            }
        }
        long now = clock.millis();
        store.update(id, instance.name(), write(instance.body(), element), now,
                instance.resources().stream().map(ResourceConfig::name).toList());
        catalog.put(instance, now);
        routes.restart(instance);
        LOG.info("Updated instance {} ({}); its routes were restarted", id, instance.name());
        return view(instance, now);
    }

    /** DELETE: stops the routes and removes the instance with its watermarks and tokens. */
    public synchronized void delete(long id) throws Exception {
        store.find(id).orElseThrow(() -> notFound(id));
        routes.stop(id, true);
        catalog.remove(id);
        store.delete(id);
        LOG.info("Deleted instance {}", id);
    }

    /** The event log of an instance, optionally only events in one delivery status, newest last. */
    public ArrayNode events(long id, String status, int limit) {
        store.find(id).orElseThrow(() -> notFound(id));
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeliveryStatus.parse(status);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "status: " + e.getMessage());
            }
        }
        ArrayNode list = mapper.createArrayNode();
        for (EventLogEntry e : outbox.events(id, wanted, limit)) {
            ObjectNode node = list.addObject();
            node.put("id", e.eventId());
            node.put("notificationId", e.notificationId());
            node.put("objectType", e.resource());
            node.put("objectId", e.objectId());
            node.put("eventType", e.eventType());
            node.put("eventDate", Instant.ofEpochMilli(e.eventDate()).toString());
            node.put("status", e.status().name().toLowerCase(java.util.Locale.ROOT));
            node.put("attempts", e.attempts());
            node.put("createdDate", Instant.ofEpochMilli(e.createdAt()).toString());
            node.put("lastAttemptDate", e.lastAttemptAt() == null ? null : Instant.ofEpochMilli(e.lastAttemptAt()).toString());
            if (e.lastStatus() == null) {
                node.putNull("lastStatus");
            } else {
                node.put("lastStatus", e.lastStatus());
            }
            node.put("lastError", e.lastError());
            node.put("nextAttemptDate", e.nextAttemptAt() == null ? null : Instant.ofEpochMilli(e.nextAttemptAt()).toString());
            node.put("deliveredDate", e.deliveredAt() == null ? null : Instant.ofEpochMilli(e.deliveredAt()).toString());
        }
        return list;
    }

    /** Sends the notification carrying the event again, now, with a fresh retry schedule. */
    public ObjectNode retryEvent(long id, String eventId) {
        store.find(id).orElseThrow(() -> notFound(id));
        if (!outbox.retryEvent(id, eventId, clock.millis())) {
            throw new ApiException(404, "instance " + id + " has no event " + eventId + " (delivered events are kept for polling.delivery.retention)");
        }
        LOG.info("Event {} of instance {} queued for delivery again", eventId, id);
        return mapper.createObjectNode().put("requeued", 1);
    }

    /** Sends every notification of the instance in the status again (replay of dead letters). */
    public ObjectNode retryAll(long id, String status) {
        store.find(id).orElseThrow(() -> notFound(id));
        DeliveryStatus wanted;
        try {
            wanted = DeliveryStatus.parse(status == null || status.isBlank() ? "dead" : status);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "status: " + e.getMessage());
        }
        int count = outbox.retryAll(id, wanted, clock.millis());
        LOG.info("{} {} notifications of instance {} queued for delivery again", count, wanted, id);
        return mapper.createObjectNode().put("requeued", count);
    }

    private ObjectNode readStored(StoredInstance stored) throws JsonProcessingException {
        return SecretFields.transform((ObjectNode) mapper.readTree(stored.body()), elements.find(stored.elementKey()).orElse(null),
                cipher::decrypt);
    }

    private InstanceDefinition definition(StoredInstance stored) throws JsonProcessingException {
        return parser.parse(readStored(stored))
                .withIdentity(stored.id(), stored.token(), Instant.ofEpochMilli(stored.createdAt()));
    }

    private ObjectNode invalidView(StoredInstance stored, Exception e) {
        ObjectNode view = mapper.createObjectNode();
        view.put("id", stored.id());
        view.put("name", stored.name());
        view.putObject("element").put("key", stored.elementKey());
        view.put("error", "this stored instance is no longer valid and is not polled: " + e.getMessage() + "; fix it with PATCH");
        return view;
    }

    private ObjectNode viewOf(StoredInstance stored) {
        InstanceDefinition instance = catalog.find(stored.id()).orElse(null);
        if (instance == null) {
            try {
                instance = definition(stored);
            } catch (Exception e) {
                return invalidView(stored, e);
            }
        }
        return view(instance, stored.updatedAt());
    }

    private ObjectNode view(InstanceDefinition instance, long updatedAt) {
        ElementDescriptor element = elements.find(instance.elementKey()).orElse(null);
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

    private String write(ObjectNode body, ElementDescriptor element) throws JsonProcessingException {
        return mapper.writeValueAsString(SecretFields.transform(body, element, cipher::encrypt));
    }

    private static ApiException notFound(long id) {
        return new ApiException(404, "no instance with id " + id);
    }

}
