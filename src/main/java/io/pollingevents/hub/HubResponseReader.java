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
    /** Exchange property holding the URL of the hub call being answered. */
    public static final String REQUEST_URL = "pollingHubUrl";
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
        String url = exchange.getProperty(REQUEST_URL, String.class);
        String source = "GET " + url;
        Message in = exchange.getIn();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            if (status == 401 && element.auth().isOAuth2()) {
                oauth.invalidate(instanceId);
                throw new HubCallException("hub answered 401 to " + source + "; the OAuth2 access token will be refreshed before the next poll");
            }
            if (status == 429) {
                Long retryAfter = RetryAfter.millis(in.getHeader("Retry-After", String.class), clock);
                long pause = retryAfter != null ? retryAfter : DEFAULT_RATE_LIMIT_PAUSE_MS;
                limits.rateLimited(instanceId, pause);
                throw new HubCallException("hub answered 429 (rate limited) to " + source + "; polls of this instance pause for "
                        + pause / 1000 + " s" + (retryAfter != null ? " as its Retry-After asks" : ""));
            }
            throw new HubCallException("hub answered " + status + " to " + source + ": " + Texts.abbreviate(in.getBody(String.class)));
        }
        Paging paging = session.paging();
        paging.readHeaders(name -> in.getHeader(name, String.class), url);
        InputStream body = in.getBody(InputStream.class);
        RecordStream records = new RecordStream(mapper, body == null ? new ByteArrayInputStream(new byte[0]) : body,
                element.records().path(), paging.cursorPath(), source,
                "records.path '" + element.records().path() + "' in elements/" + element.key() + ".yaml");
        session.pageAnswered(records);
        return records;
    }
}
