package io.pollingevents.poll;

import io.pollingevents.element.VendorCall;
import java.time.Duration;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pollingevents.config.DateField;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.Pagination;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubResponseReader;
import io.pollingevents.hub.HubSession;
import io.pollingevents.store.Watermark;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** Shared test data of the poll package: one instance of one element, its resources, polls and exchanges. */
final class PollFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant CREATED_AT = Instant.parse("2024-11-01T00:00:00Z");
    static final Instant WATERMARK = Instant.parse("2024-11-27T10:00:00Z");
    static final Instant POLL_TIME = Instant.parse("2024-11-27T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(POLL_TIME, ZoneOffset.UTC);
    static final long INSTANCE_ID = 7;
    static final String RESOURCE = "candidates";
    /** An element that allows one hub call at a time, so a slot not given back is noticed at once. */
    static final ElementDescriptor ELEMENT = new ElementDescriptor("smartrecruiters", "SmartRecruiters", "humancapital",
            "https://hub.example", null, null, null, 1, null, null, null, null, null, null, null);
    /** Open Connectors paging: a page with an elements-next-page-token header is followed by another. */
    static final Pagination PAGING = new Pagination("openconnectors", null, null, null, null, null, null, null, null, null).withDefaults();
    private static final CamelContext CAMEL = new DefaultCamelContext();

    private PollFixtures() {
    }

    static DateField isoField(String name) {
        return new DateField(name, null, null, ZoneOffset.UTC);
    }

    /** The candidates resource with the given date fields (either may be null). */
    static ResourceConfig resource(DateField updated, DateField created) {
        return new ResourceConfig(RESOURCE, "/v1/candidates?since=${epoch:ms}", "id", updated, created,
                new VendorCall("GET", "/v1/candidates?since=${epoch:ms}", null, "", PAGING, null, false), Duration.ZERO);
    }

    static ResourceConfig updatedOnly() {
        return resource(isoField("updatedOn"), null);
    }

    static ResourceConfig withoutDates() {
        return resource(null, null);
    }

    static InstanceDefinition instance(ResourceConfig... resources) {
        return new InstanceDefinition(INSTANCE_ID, "token", ELEMENT.key(), "inst", List.of("t1"), MAPPER.createObjectNode(),
                true, "http://127.0.0.1/cb", null, 60_000, ZoneOffset.UTC, List.of(resources), CREATED_AT);
    }

    /** Limits that never wait for a hub slot: a slot not given back makes the next acquire fail at once. */
    static HubLimits limits() {
        return new HubLimits(CLOCK, 0);
    }

    static PollContext poll(ResourceConfig resource, Watermark start, HubLimits limits) {
        InstanceDefinition instance = instance(resource);
        return new PollContext(instance, resource, ELEMENT, start, start.at(), POLL_TIME,
                new HubSession(instance, resource, ELEMENT, start.at(), limits));
    }

    static PollContext poll(ResourceConfig resource) {
        return poll(resource, new Watermark(WATERMARK, Set.of()), limits());
    }

    static Exchange exchange() {
        return new DefaultExchange(CAMEL);
    }

    /** An exchange of the poll route carrying the poll, as {@code pollStarter.begin} leaves it. */
    static Exchange exchange(PollContext poll) {
        Exchange exchange = exchange();
        exchange.setProperty(PollContext.PROPERTY, poll);
        exchange.setProperty(HubSession.PROPERTY, poll.hub());
        return exchange;
    }

    /**
     * One page of the poll's hub walk, as the route's {@code hubRequest.prepare} and {@code hubResponse.read} do it:
     * the first page takes the element's hub slot; a next-page token asks for another page.
     */
    static void answerPage(Exchange exchange, HubLimits limits, String nextPageToken) throws Exception {
        new HubRequest(null).prepare(exchange);
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getIn().setHeader("elements-next-page-token", nextPageToken);
        exchange.getIn().setBody(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)));
        new HubResponseReader(MAPPER, null, limits, CLOCK).read(exchange);
    }

    /** The count of a counter tagged with the instance and resource (and extra tags), 0 when it was never incremented. */
    static double count(MeterRegistry registry, String name, String... extraTags) {
        Counter counter = registry.find(name).tags("instance", Long.toString(INSTANCE_ID), "resource", RESOURCE)
                .tags(extraTags).counter();
        return counter == null ? 0 : counter.count();
    }
}
