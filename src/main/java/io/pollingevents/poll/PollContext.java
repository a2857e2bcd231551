package io.pollingevents.poll;

import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.store.Watermark;

import java.time.Instant;
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
    private final Instant pollTime;
    private final AtomicInteger records = new AtomicInteger();
    private final AtomicInteger invalidRecords = new AtomicInteger();
    private final AtomicInteger eventsStored = new AtomicInteger();

    public PollContext(InstanceDefinition instance, ResourceConfig resource, ElementDescriptor element,
                       Watermark startWatermark, Instant pollTime) {
        this.instance = instance;
        this.resource = resource;
        this.element = element;
        this.startWatermark = startWatermark;
        this.pollTime = pollTime;
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
