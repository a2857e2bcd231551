package io.pollingevents.poll;

import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.event.DetectedChange;
import io.pollingevents.hub.HubSession;
import io.pollingevents.store.Watermark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one poll of one resource, carried through the route as the exchange property
 * {@value #PROPERTY}: what is polled, the watermark it started from and what it found.
 */
public final class PollContext {
    public static final String PROPERTY = "pollingEventsPoll";

    private final InstanceDefinition instance;
    private final ResourceConfig resource;
    private final ElementDescriptor element;
    private final Watermark startWatermark;
    private final Instant windowStart;
    private final Instant pollTime;
    private final AtomicInteger records = new AtomicInteger();
    private final AtomicInteger invalidRecords = new AtomicInteger();
    private final AtomicInteger eventsStored = new AtomicInteger();
    private final HubSession hub;
    private final List<DetectedChange> pending = new ArrayList<>();
    private Watermark candidateWatermark;

    public PollContext(InstanceDefinition instance, ResourceConfig resource, ElementDescriptor element,
                       Watermark startWatermark, Instant windowStart, Instant pollTime, HubSession hub) {
        this.windowStart = windowStart;
        this.hub = hub;
        this.instance = instance;
        this.resource = resource;
        this.element = element;
        this.startWatermark = startWatermark;
        this.pollTime = pollTime;
        this.candidateWatermark = startWatermark;
    }

    /** This poll's hub calls: pages, the response being read, the element's hub slot. */
    public HubSession hub() {
        return hub;
    }

    /** Changes detected but not yet stored in the outbox. */
    public List<DetectedChange> pending() {
        return pending;
    }

    /** Where the watermark moves when the poll completes: the newest change stored so far. */
    public Watermark candidateWatermark() {
        return candidateWatermark;
    }

    public void candidateWatermark(Watermark watermark) {
        this.candidateWatermark = watermark;
    }

    public InstanceDefinition instance() {
        return instance;
    }

    public ResourceConfig resource() {
        return resource;
    }

    public ElementDescriptor element() {
        return element;
    }

    public Watermark startWatermark() {
        return startWatermark;
    }

    /** The earliest change date this poll looks for: the watermark less the resource's lookback. */
    public Instant windowStart() {
        return windowStart;
    }

    public Instant pollTime() {
        return pollTime;
    }

    public AtomicInteger records() {
        return records;
    }

    public AtomicInteger invalidRecords() {
        return invalidRecords;
    }

    /** Events this poll stored in the outbox. */
    public AtomicInteger eventsStored() {
        return eventsStored;
    }

    /** A short label for logs: instance id and resource. */
    public String label() {
        return "instance " + instance.id() + " (" + instance.name() + ") resource '" + resource.name() + "'";
    }
}
