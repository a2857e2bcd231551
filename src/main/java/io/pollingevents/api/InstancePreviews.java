package io.pollingevents.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.poll.PollPreview;
import io.pollingevents.store.Watermark;
import io.pollingevents.store.WatermarkStore;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The preview requests of the API: one poll of a resource of a stored instance, or of an instance body that is not
 * stored, run against the real hub with nothing stored (see {@link PollPreview}).
 */
public final class InstancePreviews {
    private final InstanceParser parser;
    private final InstanceCatalog catalog;
    private final WatermarkStore watermarks;
    private final ElementRegistry elements;
    private final PollPreview preview;
    private final Clock clock;

    public InstancePreviews(InstanceParser parser, InstanceCatalog catalog, WatermarkStore watermarks, ElementRegistry elements,
                            PollPreview preview, Clock clock) {
        this.parser = parser;
        this.catalog = catalog;
        this.watermarks = watermarks;
        this.elements = elements;
        this.preview = preview;
        this.clock = clock;
    }

    /** A poll of a stored instance's resource, from its watermark unless {@code since} names another time. */
    public ObjectNode stored(long id, String resourceName, String since) {
        InstanceDefinition instance = catalog.find(id).orElseThrow(() -> ApiException.noInstance(id));
        ResourceConfig resource = resource(instance, resourceName);
        Watermark watermark = since != null ? new Watermark(time(since), Set.of())
                : watermarks.load(id, resource.name()).orElseGet(() -> new Watermark(instance.createdAt(), Set.of()));
        return withInstance(preview.preview(instance, resource, watermark, true), instance);
    }

    /**
     * A poll of a body that is not stored, from {@code since}, by default one polling interval ago: what the first
     * polls of such an instance would find.
     */
    public ObjectNode unstored(String body, String resourceName, String since) {
        InstanceDefinition instance = parser.parse(parser.readBody(body));
        if (elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElseThrow().auth().isOAuth2()) {
            throw new ApiException(400, "element '" + instance.elementKey() + "' signs in with OAuth2, which needs the tokens of a "
                    + "stored instance; create the instance, then POST /instances/{id}/resources/{resource}/preview");
        }
        ResourceConfig resource = resourceName == null && instance.resources().size() == 1 ? instance.resources().get(0)
                : resource(instance, resourceName);
        Instant from = since != null ? time(since) : clock.instant().minusMillis(instance.refreshIntervalMillis());
        return withInstance(preview.preview(instance, resource, new Watermark(from, Set.of()), false), instance);
    }

    private static ObjectNode withInstance(ObjectNode report, InstanceDefinition instance) {
        ObjectNode named = report.objectNode();
        if (instance.id() > 0) {
            named.put("id", instance.id());
        }
        named.put("name", instance.name());
        named.putObject("element").put("key", instance.elementKey());
        ObjectNode out = report.objectNode();
        out.set("instance", named);
        out.setAll(report);
        return out;
    }

    private static ResourceConfig resource(InstanceDefinition instance, String name) {
        ResourceConfig resource = name == null ? null : instance.resource(name);
        if (resource == null) {
            String names = instance.resources().stream().map(ResourceConfig::name).collect(Collectors.joining(", "));
            throw new ApiException(name == null ? 400 : 404, (name == null ? "name the resource to preview with ?resource="
                    : "the instance polls no resource '" + name + "'") + "; its resources are " + (names.isEmpty() ? "none" : names));
        }
        return resource;
    }

    private static Instant time(String since) {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "since: '" + since + "' is not an ISO-8601 instant; use e.g. 2024-11-27T10:00:00Z");
        }
    }
}
