package io.pollingevents.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.element.Pagination;
import io.pollingevents.poll.PollContext;
import org.apache.camel.Exchange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one hub response: checks the status (401 refreshes OAuth2 tokens, 429 pauses the instance for
 * Retry-After), takes the next-page token or link from the headers, and returns the records as a
 * {@link RecordStream} over the still-open response body, so even very large pages use little memory.
 */
public final class HubResponseReader {
    private static final long DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

    private final ObjectMapper mapper;
    private final OAuth2Client oauth;
    private final HubLimits limits;

    public HubResponseReader(ObjectMapper mapper, OAuth2Client oauth, HubLimits limits) {
        this.mapper = mapper;
        this.oauth = oauth;
        this.limits = limits;
    }

    public RecordStream read(Exchange exchange) throws IOException {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        PageState page = poll.page();
        page.pagesRead++;
        String url = exchange.getProperty("pollingHubUrl", String.class);
        String source = "GET " + url;
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            String body = exchange.getIn().getBody(String.class);
            if (status == 401 && poll.element().auth().isOAuth2()) {
                oauth.invalidate(poll.instance().id());
                throw new HubCallException("hub answered 401 to " + source + "; the OAuth2 access token will be refreshed before the next poll");
            }
            if (status == 429) {
                Long retryAfter = retryAfterMillis(exchange.getIn().getHeader("Retry-After", String.class));
                long pause = retryAfter != null ? retryAfter : DEFAULT_RATE_LIMIT_PAUSE_MS;
                limits.rateLimited(poll.instance().id(), pause);
                throw new HubCallException("hub answered 429 (rate limited) to " + source + "; polls of this instance pause for "
                        + pause / 1000 + " s" + (retryAfter != null ? " as its Retry-After asks" : ""));
            }
            throw new HubCallException("hub answered " + status + " to " + source + ": " + abbreviate(body));
        }
        Pagination pagination = poll.resource().pagination();
        page.nextUrl = null;
        if ("openconnectors".equals(pagination.type())) {
            String token = exchange.getIn().getHeader(pagination.nextPageHeader(), String.class);
            page.nextToken = token == null || token.isBlank() ? null : token;
        } else if ("link".equals(pagination.type())) {
            page.nextUrl = nextLink(exchange.getIn().getHeader("Link", String.class), url);
        }
        InputStream in = exchange.getIn().getBody(InputStream.class);
        RecordStream records = new RecordStream(mapper, in == null ? new ByteArrayInputStream(new byte[0]) : in,
                poll.element().records().path(), "cursor".equals(pagination.type()) ? pagination.cursorPath() : null, source,
                "records.path '" + poll.element().records().path() + "' in elements/" + poll.element().key() + ".yaml");
        page.current = records;
        return records;
    }

    /** The rel="next" target of an RFC 8288 Link header, resolved against the request URL; null when absent. */
    static String nextLink(String header, String requestUrl) {
        if (header == null) {
            return null;
        }
        for (String link : header.split(",(?=\\s*<)")) {
            Matcher m = Pattern.compile("<([^>]*)>(.*)").matcher(link.trim());
            if (m.matches() && Pattern.compile("rel\\s*=\\s*\"?[^\"]*\\bnext\\b", Pattern.CASE_INSENSITIVE).matcher(m.group(2)).find()) {
                return URI.create(requestUrl).resolve(m.group(1).trim()).toString();
            }
        }
        return null;
    }

    /** Retry-After as delay seconds or an HTTP date; null when absent or unreadable. */
    public static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                return Math.max(0, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - System.currentTimeMillis());
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
