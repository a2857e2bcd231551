package io.pollingevents.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.pollingevents.config.DateField;
import io.pollingevents.config.ResourceConfig;
import io.pollingevents.event.DetectedChange;
import io.pollingevents.event.EventType;
import io.pollingevents.format.DatePatterns;
import io.pollingevents.format.Texts;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Decides whether one hub record is an event: its change date moved past the watermark (or equals it
 * for an object not yet delivered at that date, or lies within the resource's lookback before it). Classifies it
 * CREATED, UPDATED or UNKNOWN.
 */
public final class ChangeDetector {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeDetector.class);

    /** Camel entry point: the body is one record; returns the change, or null when the record is not an event. */
    public DetectedChange detect(JsonNode record, Exchange exchange) {
        return detectChange(record, exchange.getProperty(PollContext.PROPERTY, PollContext.class));
    }

    public DetectedChange detectChange(JsonNode record, PollContext poll) {
        poll.records().incrementAndGet();
        ResourceConfig resource = poll.resource();
        String objectId = text(field(record, resource.idField()));
        if (objectId == null) {
            poll.invalidRecords().incrementAndGet();
            LOG.warn("{}: record without idField '{}' skipped and counted as invalid: {}", poll.label(), resource.idField(),
                    Texts.abbreviate(record.toString()));
            return null;
        }
        if (resource.hasNoDates()) {
            return new DetectedChange(objectId, poll.pollTime(), EventType.UNKNOWN, record);
        }
        Watermark watermark = poll.startWatermark();
        DateField changeField = resource.changeDate();
        Instant changed = readDate(record, changeField, objectId, poll);
        if (changed == null) {
            return null;
        }
        // within the lookback before the watermark a record may be new (changed in the same second as the last
        // poll, or visible late); one already stored there has the same event id and is dropped when stored
        if (changed.isBefore(poll.windowStart())
                || (changed.equals(watermark.at()) && watermark.idsAtWatermark().contains(objectId))) {
            return null;
        }
        EventType type;
        if (resource.updatedDate() == null) {
            type = EventType.CREATED;
        } else if (resource.createdDate() == null) {
            type = EventType.UPDATED;
        } else {
            Instant created = readDate(record, resource.createdDate(), objectId, null);
            boolean createdSinceWatermark = created != null && (created.isAfter(watermark.at())
                    || (created.equals(watermark.at()) && !watermark.idsAtWatermark().contains(objectId)));
            type = createdSinceWatermark ? EventType.CREATED : EventType.UPDATED;
        }
        return new DetectedChange(objectId, changed, type, record);
    }

    /** Reads a date field; when poll is given, a missing or unreadable date is logged and counted. */
    private static Instant readDate(JsonNode record, DateField field, String objectId, PollContext poll) {
        JsonNode value = field(record, field.name());
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            if (poll != null) {
                poll.invalidRecords().incrementAndGet();
                LOG.warn("{}: record {} has no '{}' date; skipped and counted as invalid", poll.label(), objectId, field.name());
            }
            return null;
        }
        try {
            // watermarks and event ids work in milliseconds; finer digits would re-deliver the same record
            Instant parsed = field.formatter() == null
                    ? DatePatterns.parseUnformatted(value.isNumber() ? value.numberValue() : value.asText())
                    : DatePatterns.parse(value.asText(), field.formatter(), field.zone());
            return parsed.truncatedTo(ChronoUnit.MILLIS);
        } catch (RuntimeException e) {
            if (poll != null) {
                poll.invalidRecords().incrementAndGet();
                LOG.warn("{}: record {} has '{}' = '{}' which does not match the format '{}' ({}); skipped and counted as invalid",
                        poll.label(), objectId, field.name(), value.asText(),
                        field.pattern() == null ? "epoch millis or ISO-8601" : field.pattern(), e.getMessage());
            }
            return null;
        }
    }

    /** A field by name, or by dotted path into nested objects when no field has the full name. */
    static JsonNode field(JsonNode record, String name) {
        JsonNode direct = record.get(name);
        if (direct != null || !name.contains(".")) {
            return direct;
        }
        JsonNode node = record;
        for (String part : name.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText();
        return text.isEmpty() ? null : text;
    }
}
