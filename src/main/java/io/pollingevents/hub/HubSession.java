package io.pollingevents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.VendorCall;
import io.pollingevents.format.UrlTemplate;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * One poll's conversation with its hub, carried through the route as the exchange property {@value #PROPERTY}:
 * the page walk, the response being read, and the hub places it holds (the element's call slot, the vendor's
 * in-flight place for this kind of call). The session is their only owner: it takes them before the first request
 * and gives them back once, after the last page or when the poll ends. Each request also waits for the vendor's
 * request rate under the instance's credential.
 */
public final class HubSession implements AutoCloseable {
    public static final String PROPERTY = "pollingHubSession";

    private final InstanceDefinition instance;
    private final ResourceConfig resource;
    private final ElementDescriptor element;
    private final Instant askedFrom;
    private final HubLimits limits;
    private final Paging paging;
    private final String limitKey;
    private int pagesRead;
    private RecordStream current;
    private boolean slotHeld;
    private AutoCloseable inFlightPlace;
    private boolean truncated;

    /**
     * @param askedFrom the time the resource's date placeholders are rendered for: the watermark, less the lookback
     */
    public HubSession(InstanceDefinition instance, ResourceConfig resource, ElementDescriptor element, Instant askedFrom,
                      HubLimits limits) {
        this.instance = instance;
        this.resource = resource;
        this.element = element;
        this.askedFrom = askedFrom;
        this.limits = limits;
        this.paging = Paging.start(resource.pagination());
        this.limitKey = limitKey(instance, element);
    }

    /** One request to the hub: method, absolute URL and, for a POST, the JSON body. */
    public record PageRequest(String method, String url, byte[] body) {
        /** {@code GET <url>}, as polls and errors name the call. */
        public String describe() {
            return method + " " + url;
        }
    }

    /** True before the first page and while the hub says another follows; after the last page the places go back. */
    public boolean hasNextPage() {
        if (pagesRead == 0) {
            return true;
        }
        boolean next = paging.hasNext(current);
        if (paging.truncated(current, next)) {
            truncated = true;
        }
        if (!next) {
            releasePlaces();
        }
        return next;
    }

    /** The next request; takes the hub places before the first one and waits for the vendor's request rate. */
    PageRequest nextRequest() throws InterruptedException {
        if (pagesRead >= paging.maxPages()) {
            throw new HubCallException("stopped after " + pagesRead + " pages, the page limit of this resource (pagination.maxPages, "
                    + "in elements/" + element.key() + ".yaml or the resource's \"pagination\"); the watermark stays. "
                    + "Raise maxPages or narrow the resource URL");
        }
        VendorCall call = resource.call();
        if (pagesRead == 0 && !slotHeld) {
            limits.acquire(element);
            slotHeld = true;
            if (call.maxInFlight() != null) {
                inFlightPlace = limits.acquireInFlight(limitKey, call.describe(), call.maxInFlight());
            }
        }
        if (element.rateLimit() != null) {
            limits.awaitRequestSlot(limitKey, element.rateLimit().requestsPerSecond());
        }
        String base = instance.config(ConfigKeys.BASE_URL);
        String url = paging.pageUrl(UrlTemplate.render(call.url(), base != null ? base : element.baseUrl(), askedFrom, instance.timezone()));
        byte[] body = null;
        if (call.body() != null) {
            ObjectNode rendered = (ObjectNode) render(call.body().deepCopy());
            paging.intoBody(rendered);
            body = rendered.toString().getBytes(StandardCharsets.UTF_8);
        }
        return new PageRequest(call.method(), url, body);
    }

    private JsonNode render(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(render(field.getValue()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((ArrayNode) node).set(i, render(node.get(i)));
            }
        } else if (node.isTextual() && node.asText().contains("${")) {
            return TextNode.valueOf(UrlTemplate.substitute(node.asText(), askedFrom, instance.timezone()));
        }
        return node;
    }

    /** Counts a page answered and keeps its records stream, so a failed poll can close it. */
    void pageAnswered(RecordStream records) {
        pagesRead++;
        current = records;
    }

    Paging paging() {
        return paging;
    }

    public InstanceDefinition instance() {
        return instance;
    }

    public ElementDescriptor element() {
        return element;
    }

    /** What limits and hub pauses are counted against: the element and credential, or the instance without one. */
    public String limitKey() {
        return limitKey;
    }

    /** The time before which the hub asked polls under this session's key to wait, if it did. */
    public Optional<Instant> pausedUntil() {
        return limits.rateLimitedUntil(limitKey);
    }

    /** JSON Pointer to the records in this resource's answers. */
    String recordsPath() {
        return resource.call().records();
    }

    /** Pages the hub answered or refused so far. */
    public int pagesRead() {
        return pagesRead;
    }

    /** Whether a page came back full with no next page, so records may have been left unread. */
    public boolean truncated() {
        return truncated;
    }

    /** Ends the conversation: closes a response still being read and gives the places back, both at most once. */
    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing more is read from it
            }
        }
        releasePlaces();
    }

    private void releasePlaces() {
        if (slotHeld) {
            slotHeld = false;
            limits.release(element);
        }
        if (inFlightPlace != null) {
            AutoCloseable place = inFlightPlace;
            inFlightPlace = null;
            try {
                place.close();
            } catch (Exception e) {
                // a cluster lock whose connection broke is gone with it
                LoggerFactory.getLogger(HubSession.class).warn("Could not give back the in-flight place of {}: {}",
                        resource.call().describe(), e.getMessage());
            }
        }
    }

    // the credential itself never leaves the engine, not even in a metric or log: only a digest of it
    private static String limitKey(InstanceDefinition instance, ElementDescriptor element) {
        String key = element.credentialKey();
        String credential = key == null ? null : instance.config(key);
        if (credential == null || credential.isBlank()) {
            return "instance " + instance.id();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return element.key() + " credential " + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
