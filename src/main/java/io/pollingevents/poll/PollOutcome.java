package io.pollingevents.poll;

import io.pollingevents.store.Watermark;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Last step of a poll: records and logs what it found and delivered, or why it failed. */
public final class PollOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(PollOutcome.class);
    private final WatermarkStore watermarks;

    public PollOutcome(WatermarkStore watermarks) {
        this.watermarks = watermarks;
    }

    public void succeeded(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        if (poll.resource().hasNoDates()) {
            watermarks.advance(poll.instance().id(), poll.resource().name(), new Watermark(poll.pollTime(), Set.of()));
        }
        String result = "ok: " + poll.records().get() + " records, " + poll.eventsDelivered().get() + " events in "
                + poll.notificationsDelivered().get() + " notifications"
                + (poll.invalidRecords().get() > 0 ? ", " + poll.invalidRecords().get() + " invalid records skipped (see log)" : "");
        watermarks.recordPoll(poll.instance().id(), poll.resource().name(), poll.pollTime(), result);
        if (poll.eventsDelivered().get() > 0 || poll.invalidRecords().get() > 0) {
            LOG.info("{}: {}", poll.label(), result);
        } else {
            LOG.debug("{}: {}", poll.label(), result);
        }
    }

    public void failed(Exchange exchange) {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        String reason = describe(error);
        if (poll == null) {
            LOG.warn("Poll of instance {} resource '{}' could not start: {}", exchange.getProperty("pollingInstanceId"),
                    exchange.getProperty("pollingResource"), reason);
            return;
        }
        String result = "failed: " + reason + " (" + poll.eventsDelivered().get() + " events delivered before the failure;"
                + " the rest is retried from the watermark at the next poll)";
        try {
            watermarks.recordPoll(poll.instance().id(), poll.resource().name(), poll.pollTime(), result);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the failed poll of {}: {}", poll.label(), e.getMessage());
        }
        LOG.warn("{}: {}", poll.label(), result);
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while (t != null) {
            if (t instanceof HttpOperationFailedException http) {
                return "callback " + http.getUri() + " answered " + http.getStatusCode()
                        + (http.getResponseBody() == null || http.getResponseBody().isBlank() ? ""
                        : ": " + abbreviate(http.getResponseBody()));
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
