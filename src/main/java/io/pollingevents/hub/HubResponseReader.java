package io.pollingevents.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.format.RetryAfter;
import io.pollingevents.format.Texts;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;

/**
 * The {@code hubResponse} bean of the poll route: checks the status of one hub response (401 refreshes OAuth2 tokens,
 * 429 pauses the instance for Retry-After), hands the headers to the poll's paging, and returns the records as a
 * {@link RecordStream} over the still-open body, so even very large pages use little memory.
 */
public final class HubResponseReader {
    private static final long DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

    private final ObjectMapper mapper;
    private final OAuth2Client oauth;
    private final HubLimits limits;
    private final Clock clock;

    public HubResponseReader(ObjectMapper mapper, OAuth2Client oauth, HubLimits limits, Clock clock) {
        this.mapper = mapper;
        this.oauth = oauth;
        this.limits = limits;
        this.clock = clock;
    }

    public RecordStream read(Exchange exchange) throws IOException {
        HubSession session = HubRequest.session(exchange);
        ElementDescriptor element = session.element();
        long instanceId = session.instance().id();
        HubSession.PageRequest request = exchange.getProperty(HubRequest.REQUEST, HubSession.PageRequest.class);
        String url = request.url();
        String source = request.describe();
        // the message, not getIn(): a ProducerTemplate call (a preview) leaves the answer as the exchange's out message
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            if (status == 401 && element.auth().isOAuth2()) {
                oauth.invalidate(instanceId);
                throw new HubCallException("hub answered 401 to " + source + "; the OAuth2 access token will be refreshed before the next poll");
            }
            if (status == 429) {
                Long retryAfter = RetryAfter.millis(in.getHeader("Retry-After", String.class), clock);
                String asked = " as its Retry-After asks";
                if (retryAfter == null) {
                    retryAfter = RetryAfter.resetMillis(in.getHeader("X-RateLimit-Reset", String.class), clock);
                    asked = " as its X-RateLimit-Reset asks";
                }
                long pause = retryAfter != null ? retryAfter : element.rateLimit() != null ? 1000 : DEFAULT_RATE_LIMIT_PAUSE_MS;
                limits.rateLimited(session.limitKey(), pause);
                throw new HubCallException("hub answered 429 (rate limited) to " + source
                        + rateLimitHeaders(in) + "; polls " + (session.limitKey().startsWith("instance") ? "of this instance"
                        : "with this credential") + " pause for " + Math.max(1, (pause + 999) / 1000) + " s" + (retryAfter != null ? asked : ""));
            }
            throw new HubCallException("hub answered " + status + " to " + source + ": " + Texts.abbreviate(in.getBody(String.class)));
        }
        Paging paging = session.paging();
        paging.readHeaders(name -> in.getHeader(name, String.class), url);
        InputStream body = in.getBody(InputStream.class);
        String recordsPath = session.recordsPath();
        RecordStream records = new RecordStream(mapper, body == null ? new ByteArrayInputStream(new byte[0]) : body,
                recordsPath, paging.cursorPath(), source,
                "records '" + recordsPath + "' of this resource in elements/" + element.key() + ".yaml or its \"records\"");
        if (element.errorCode() != null) {
            records.failingOnNegative(element.errorCode().codePath(), element.errorCode().messagePath());
        }
        session.pageAnswered(records);
        return records;
    }

    private static String rateLimitHeaders(Message in) {
        StringBuilder seen = new StringBuilder();
        for (String name : new String[] {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}) {
            String value = in.getHeader(name, String.class);
            if (value != null) {
                seen.append(seen.length() == 0 ? " (" : ", ").append(name).append(": ").append(value);
            }
        }
        return seen.length() == 0 ? "" : seen.append(')').toString();
    }
}
