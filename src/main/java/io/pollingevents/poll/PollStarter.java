package io.pollingevents.poll;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubSession;
import io.pollingevents.hub.PollSkippedException;
import io.pollingevents.store.Watermark;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * First step of a resource's route: looks up the instance and resource named by the exchange properties
 * {@code pollingInstanceId} and {@code pollingResource}, loads the watermark and opens the {@link PollContext}.
 */
public final class PollStarter {
    /** Exchange property the poll route sets to the id of the instance it polls. */
    public static final String INSTANCE_ID = "pollingInstanceId";
    /** Exchange property the poll route sets to the name of the resource it polls. */
    public static final String RESOURCE = "pollingResource";
    private final InstanceCatalog catalog;
    private final ElementRegistry elements;
    private final WatermarkStore watermarks;
    private final HubLimits limits;
    private final Clock clock;

    public PollStarter(InstanceCatalog catalog, ElementRegistry elements, WatermarkStore watermarks, HubLimits limits, Clock clock) {
        this.limits = limits;
        this.catalog = catalog;
        this.elements = elements;
        this.watermarks = watermarks;
        this.clock = clock;
    }

    public void begin(Exchange exchange) {
        long instanceId = exchange.getProperty(INSTANCE_ID, Long.class);
        String resourceName = exchange.getProperty(RESOURCE, String.class);
        InstanceDefinition instance = catalog.find(instanceId).orElseThrow(
                () -> new IllegalStateException("instance " + instanceId + " no longer exists; its route is being removed"));
        ResourceConfig resource = instance.resource(resourceName);
        if (resource == null) {
            throw new IllegalStateException("instance " + instanceId + " no longer polls '" + resourceName + "'");
        }
        Watermark watermark = watermarks.load(instanceId, resourceName)
                .orElseGet(() -> new Watermark(instance.createdAt(), Set.of()));
        // the lookback re-reads what a previous poll may have missed, but changes from before the instance existed
        // are not events
        Instant windowStart = watermark.at().minus(resource.lookback());
        if (instance.createdAt() != null && windowStart.isBefore(instance.createdAt())) {
            windowStart = watermark.at().isBefore(instance.createdAt()) ? watermark.at() : instance.createdAt();
        }
        ElementDescriptor element = elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElseThrow();
        HubSession hub = new HubSession(instance, resource, element, windowStart, limits);
        hub.pausedUntil().ifPresent(until -> {
            throw new PollSkippedException("the hub rate-limited " + hub.limitKey() + " until " + until);
        });
        exchange.setProperty(PollContext.PROPERTY, new PollContext(instance, resource, element, watermark, windowStart, clock.instant(), hub));
        exchange.setProperty(HubSession.PROPERTY, hub);
    }
}
