package io.pollingevents.hub;

import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The {@code hubRequest} bean of the poll route: decides whether another page is asked for, and prepares each hub
 * call: the page URL of the poll's {@link HubSession} and the element's authentication header.
 */
public final class HubRequest {
    private final OAuth2Client oauth;

    public HubRequest(OAuth2Client oauth) {
        this.oauth = oauth;
    }

    /** The loop condition of the route: true before the first page and while the hub says there is another. */
    public boolean hasNextPage(Exchange exchange) {
        return session(exchange).hasNextPage();
    }

    public void prepare(Exchange exchange) throws InterruptedException {
        HubSession session = session(exchange);
        String url = session.nextRequestUrl();
        InstanceDefinition instance = session.instance();
        Message in = exchange.getIn();
        in.setBody(null);
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_URI, url);
        in.setHeader("Accept", "application/json");
        ElementDescriptor.Auth auth = session.element().auth();
        if (auth.isApiKey()) {
            in.setHeader(auth.header(), instance.config(auth.valueFrom()));
        } else if (auth.isOAuth2()) {
            in.setHeader("Authorization", "Bearer " + oauth.accessToken(instance, session.element()));
        }
        exchange.setProperty(HubResponseReader.REQUEST_URL, url);
    }

    static HubSession session(Exchange exchange) {
        return exchange.getProperty(HubSession.PROPERTY, HubSession.class);
    }
}
