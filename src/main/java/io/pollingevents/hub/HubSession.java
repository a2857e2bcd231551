package io.pollingevents.hub;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.format.UrlTemplate;

import java.io.IOException;
import java.time.Instant;

/**
 * One poll's conversation with its hub, carried through the route as the exchange property {@value #PROPERTY}:
 * the page walk, the response being read, and the element's hub call slot. The session is the slot's only owner:
 * it takes it before the first request and gives it back once, after the last page or when the poll ends.
 */
public final class HubSession implements AutoCloseable {
    public static final String PROPERTY = "pollingHubSession";

    private final InstanceDefinition instance;
    private final ResourceConfig resource;
    private final ElementDescriptor element;
    private final Instant watermark;
    private final HubLimits limits;
    private final Paging paging;
    private int pagesRead;
    private RecordStream current;
    private boolean slotHeld;

    /**
     * @param watermark the time the resource URL's date placeholders are rendered for
     */
    public HubSession(InstanceDefinition instance, ResourceConfig resource, ElementDescriptor element, Instant watermark,
                      HubLimits limits) {
        this.instance = instance;
        this.resource = resource;
        this.element = element;
        this.watermark = watermark;
        this.limits = limits;
        this.paging = Paging.start(resource.pagination());
    }

    /** True before the first page and while the hub says another follows; after the last page the slot goes back. */
    boolean hasNextPage() {
        if (pagesRead == 0) {
            return true;
        }
        boolean next = paging.hasNext(current);
        if (!next) {
            releaseSlot();
        }
        return next;
    }

    /** The URL of the next request; takes the element's hub slot before the first one. */
    String nextRequestUrl() throws InterruptedException {
        if (pagesRead >= paging.maxPages()) {
            throw new HubCallException("stopped after " + pagesRead + " pages, the page limit of this resource (pagination.maxPages, "
                    + "in elements/" + element.key() + ".yaml or the resource's \"pagination\"); the watermark stays. "
                    + "Raise maxPages or narrow the resource URL");
        }
        if (!slotHeld && pagesRead == 0) {
            limits.acquire(element);
            slotHeld = true;
        }
        String base = instance.config(ConfigKeys.BASE_URL);
        return paging.pageUrl(UrlTemplate.render(resource.url(), base != null ? base : element.baseUrl(), watermark, instance.timezone()));
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

    /** Pages the hub answered or refused so far. */
    public int pagesRead() {
        return pagesRead;
    }

    /** Ends the conversation: closes a response still being read and gives the slot back, both at most once. */
    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing more is read from it
            }
        }
        releaseSlot();
    }

    private void releaseSlot() {
        if (slotHeld) {
            slotHeld = false;
            limits.release(element);
        }
    }
}
