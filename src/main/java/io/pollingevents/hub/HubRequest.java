package io.pollingevents.hub;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.Pagination;
import io.pollingevents.poll.PollContext;
import io.pollingevents.poll.UrlTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares each hub call of a poll: renders the resource URL against the watermark, adds the page
 * parameters of the resource's pagination, and the element's authentication header.
 */
public final class HubRequest {
    private final OAuth2Client oauth;
    private final HubLimits limits;

    public HubRequest(OAuth2Client oauth, HubLimits limits) {
        this.oauth = oauth;
        this.limits = limits;
    }

    /**
     * The loop condition of the template: true before the first page and while the hub says there is another.
     * After the last page the poll gives its element's hub slot back, so storing the events does not hold it.
     */
    public boolean hasNextPage(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        PageState page = poll.page();
        if (page.pagesRead == 0) {
            return true;
        }
        boolean next = nextPageExists(poll, page);
        if (!next && poll.releaseHubSlot()) {
            limits.release(poll.element());
        }
        return next;
    }

    private static boolean nextPageExists(PollContext poll, PageState page) {
        Pagination p = poll.resource().pagination();
        RecordStream last = page.current;
        switch (p.type()) {
            case "offset" -> {
                page.offset += last.count();
                return last.count() >= p.pageSize();
            }
            case "cursor" -> {
                String cursor = last.cursor();
                boolean next = cursor != null && !cursor.isBlank() && !cursor.equals(page.nextToken);
                page.nextToken = cursor;
                return next;
            }
            case "openconnectors" -> {
                return page.nextToken != null;
            }
            case "link" -> {
                return page.nextUrl != null;
            }
            default -> {
                return false;
            }
        }
    }

    public void prepare(Exchange exchange) throws InterruptedException {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        InstanceDefinition instance = poll.instance();
        ElementDescriptor element = poll.element();
        Pagination pagination = poll.resource().pagination();
        PageState page = poll.page();
        if (page.pagesRead >= pagination.maxPages()) {
            throw new HubCallException("stopped after " + page.pagesRead + " pages, the page limit of this resource (pagination.maxPages, "
                    + "in elements/" + element.key() + ".yaml or the resource's \"pagination\"); the watermark stays. "
                    + "Raise maxPages or narrow the resource URL");
        }
        if (page.pagesRead == 0) {
            limits.acquire(element);
            poll.holdHubSlot();
        }
        String url = page.nextUrl != null ? page.nextUrl : pageUrl(poll, page);
        page.currentUrl = url;
        Message in = exchange.getIn();
        in.setBody(null);
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_URI, url);
        in.setHeader("Accept", "application/json");
        ElementDescriptor.Auth auth = element.auth();
        if (auth.isApiKey()) {
            in.setHeader(auth.header(), instance.config(auth.valueFrom()));
        } else if (auth.isOAuth2()) {
            in.setHeader("Authorization", "Bearer " + oauth.accessToken(instance, element));
        }
        exchange.setProperty("pollingHubUrl", url);
    }

    private static String pageUrl(PollContext poll, PageState page) {
        InstanceDefinition instance = poll.instance();
        String base = instance.config(ConfigKeys.BASE_URL);
        String url = UrlTemplate.render(poll.resource().url(), base != null ? base : poll.element().baseUrl(),
                poll.startWatermark().at(), instance.timezone());
        Pagination p = poll.resource().pagination();
        if (!p.paged()) {
            return url;
        }
        if (p.pageSize() != null && p.pageSizeParam() != null) {
            url = UrlTemplate.withParam(url, p.pageSizeParam(), p.pageSize().toString());
        }
        switch (p.type()) {
            case "offset" -> url = UrlTemplate.withParam(url, p.offsetParam(), Long.toString(page.offset));
            case "cursor", "openconnectors" -> {
                if (page.nextToken != null) {
                    url = UrlTemplate.withParam(url, p.cursorParam(), page.nextToken);
                }
            }
            default -> {
            }
        }
        return url;
    }
}
