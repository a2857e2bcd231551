package io.pollingevents.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubResponseReader;
import io.pollingevents.hub.HubSession;
import io.pollingevents.hub.RecordStream;
import io.pollingevents.store.OutboxNotification;
import io.pollingevents.store.OutboxStore;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one poll of one resource against the real hub, the way its route would (same requests, paging, limits and
 * change detection), and reports the vendor requests made, the records read and the notifications it would send.
 * Nothing is stored, nothing delivered, no watermark moved.
 */
public final class PollPreview {
    /** Records shown in full; the rest are counted. */
    static final int RECORDS_SHOWN = 50;
    // the answer is read after the call's unit of work ended, so camel-http caches it rather than streaming it
    private static final String HTTP = "http:polling-preview?throwExceptionOnFailure=false";

    private final ObjectMapper mapper;
    private final ElementRegistry elements;
    private final HubRequest hubRequest;
    private final HubResponseReader hubResponse;
    private final ChangeDetector detector;
    private final NewNotifications newNotifications;
    private final HubLimits limits;
    private final ProducerTemplate http;
    private final Clock clock;

    public PollPreview(ObjectMapper mapper, ElementRegistry elements, HubRequest hubRequest, HubResponseReader hubResponse,
                       ChangeDetector detector, NotificationBuilder builder, OutboxStore outbox, HubLimits limits,
                       ProducerTemplate http, Clock clock) {
        this.mapper = mapper;
        this.elements = elements;
        this.hubRequest = hubRequest;
        this.hubResponse = hubResponse;
        this.detector = detector;
        this.newNotifications = new NewNotifications(builder, outbox);
        this.limits = limits;
        this.http = http;
        this.clock = clock;
    }

    /**
     * @param watermark where the poll starts: the resource's stored watermark, or the time the caller asked about
     * @param stored    whether the instance is stored, so notifications already in its outbox are left out
     */
    public ObjectNode preview(InstanceDefinition instance, ResourceConfig resource, Watermark watermark, boolean stored) {
        ElementDescriptor element = elements.find(instance.elementKey(), instance.config(ConfigKeys.HUB_MODE)).orElseThrow();
        // a stored resource re-reads its lookback as its next poll would; a body not stored has missed nothing yet
        Instant windowStart = stored ? watermark.at().minus(resource.lookback()) : watermark.at();
        Instant pollTime = clock.instant();
        HubSession session = new HubSession(instance, resource, element, windowStart, limits);
        PollContext poll = new PollContext(instance, resource, element, watermark, windowStart, pollTime, session);
        ObjectNode report = mapper.createObjectNode();
        report.put("resource", resource.name());
        report.put("watermark", watermark.at().toString());
        report.put("askedFrom", windowStart.toString());
        ArrayNode requests = report.putArray("requests");
        ArrayNode records = mapper.createArrayNode();
        List<DetectedChange> changes = new ArrayList<>();
        String outcome = "ok";
        try (session) {
            while (session.hasNextPage()) {
                Exchange answer = http.send(HTTP, exchange -> {
                    exchange.setProperty(HubSession.PROPERTY, session);
                    hubRequest.prepare(exchange);
                });
                HubSession.PageRequest request = answer.getProperty(HubRequest.REQUEST, HubSession.PageRequest.class);
                if (request != null) {
                    ObjectNode made = requests.addObject().put("method", request.method()).put("url", request.url())
                            .put("status", answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class));
                    if (request.body() != null) {
                        made.set("body", mapper.readTree(request.body()));
                    }
                }
                if (answer.getException() != null) {
                    throw answer.getException();
                }
                RecordStream page = hubResponse.read(answer);
                while (page.hasNext()) {
                    JsonNode record = page.next();
                    if (records.size() < RECORDS_SHOWN) {
                        records.add(record);
                    }
                    DetectedChange change = detector.detectChange(record, poll);
                    if (change != null) {
                        changes.add(change);
                    }
                }
            }
        } catch (Exception e) {
            outcome = "failed: " + PollOutcome.describe(e);
        }
        report.put("outcome", outcome);
        report.put("truncated", session.truncated());
        report.put("recordsRead", poll.records().get());
        report.put("invalidRecords", poll.invalidRecords().get());
        report.set("records", records);
        report.set("notifications", notifications(poll, changes, stored));
        report.put("note", "a preview: nothing was stored or delivered and no watermark moved");
        return report;
    }

    private ArrayNode notifications(PollContext poll, List<DetectedChange> changes, boolean stored) {
        ArrayNode notifications = mapper.createArrayNode();
        for (OutboxNotification notification : newNotifications.of(poll, changes, stored)) {
            try {
                notifications.add(mapper.readTree(notification.body()));
            } catch (IOException e) {
                throw new IllegalStateException("the notification builder wrote JSON it cannot read back", e);
            }
        }
        return notifications;
    }
}
