package io.pollingevents.poll;

import io.pollingevents.hub.HubCallException;
import io.pollingevents.hub.PollSkippedException;
import io.pollingevents.metrics.EngineMetrics;
import io.pollingevents.store.ConcurrentPollException;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Last step of a poll: records, counts and logs what it found, or why it failed. */
public final class PollOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(PollOutcome.class);
    private final WatermarkStore watermarks;
    private final EngineMetrics metrics;

    public PollOutcome(WatermarkStore watermarks, EngineMetrics metrics) {
        this.watermarks = watermarks;
        this.metrics = metrics;
    }

    public void succeeded(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        poll.hub().close();
        int pages = poll.hub().pagesRead();
        String result = "ok: " + count(poll.records().get(), "record") + (pages > 1 ? " in " + pages + " pages" : "")
                + ", " + count(poll.eventsStored().get(), "event") + " stored for delivery"
                + (poll.invalidRecords().get() > 0 ? ", " + count(poll.invalidRecords().get(), "invalid record") + " skipped (see log)" : "")
                + (poll.hub().truncated() ? truncation(poll) : "");
        watermarks.recordPoll(poll.instance().id(), poll.resource().name(), poll.pollTime(), result);
        metrics.poll(poll.instance().id(), poll.resource().name(), true);
        if (poll.hub().truncated()) {
            metrics.pollTruncated(poll.instance().id(), poll.resource().name());
            LOG.warn("{}: {}", poll.label(), result);
        } else if (poll.eventsStored().get() > 0 || poll.invalidRecords().get() > 0) {
            LOG.info("{}: {}", poll.label(), result);
        } else {
            LOG.debug("{}: {}", poll.label(), result);
        }
    }

    public void failed(Exchange exchange) {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        String reason = describe(error);
        if (error instanceof PollSkippedException) {
            LOG.debug("Poll of instance {} resource '{}' skipped: {}", exchange.getProperty(PollStarter.INSTANCE_ID),
                    exchange.getProperty(PollStarter.RESOURCE), reason);
            return;
        }
        if (poll == null) {
            LOG.warn("Poll of instance {} resource '{}' could not start: {}", exchange.getProperty(PollStarter.INSTANCE_ID),
                    exchange.getProperty(PollStarter.RESOURCE), reason);
            return;
        }
        poll.hub().close();
        if (error instanceof ConcurrentPollException) {
            // two nodes of a cluster polled the resource at once (a partition handed over, or the node that took an
            // API change polling first); the other poll's results stand, this one stored nothing and loses nothing
            LOG.info("{}: not stored, {}; the other poll's results stand", poll.label(), reason);
            return;
        }
        metrics.poll(poll.instance().id(), poll.resource().name(), false);
        if (isHubError(error)) {
            metrics.hubError(poll.instance().id(), poll.resource().name());
        }
        String result = "failed: " + reason + " (the watermark stays; the next poll asks the hub again)";
        try {
            watermarks.recordPoll(poll.instance().id(), poll.resource().name(), poll.pollTime(), result);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the failed poll of {}: {}", poll.label(), e.getMessage());
        }
        LOG.warn("{}: {}", poll.label(), result);
    }

    private static String truncation(PollContext poll) {
        String start = "; TRUNCATED? the last page was full (pagination.pageSize " + poll.resource().pagination().pageSize()
                + ") but the hub named no next page, so records may be unread; ";
        if (poll.resource().call().sortedByChangeDate()) {
            return start + "the hub sends oldest changes first, so the watermark moved only to the newest record read";
        }
        return start + (poll.resource().pagination().paged()
                ? "the hub's paging ended the list there, so the watermark moved. If the hub caps pages without a next-page "
                        + "signal, check the resource's pagination (docs/element-descriptors.md)"
                : "the watermark stays. Give the resource a pagination that follows the hub's pages (docs/element-descriptors.md)");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static boolean isHubError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HubCallException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while (t != null && t.getCause() != null && t.getCause() != t
                && !(t instanceof HubCallException)) {
            t = t.getCause();
        }
        return t == null ? "unknown error" : t instanceof HubCallException || t instanceof PollSkippedException ? t.getMessage()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
