package io.pollingevents.hub;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.poll.PollContext;
import io.pollingevents.poll.UrlTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares the hub call of a poll: renders the resource URL against the watermark into
 * {@code CamelHttpUri} and adds the element's authentication header.
 */
public final class HubRequest {
    private final OAuth2Client oauth;

    public HubRequest(OAuth2Client oauth) {
        this.oauth = oauth;
    }

    public void prepare(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        InstanceDefinition instance = poll.instance();
        ElementDescriptor element = poll.element();
        String base = instance.config(ConfigKeys.BASE_URL);
        String url = UrlTemplate.render(poll.resource().url(), base != null ? base : element.baseUrl(),
                poll.startWatermark().at(), instance.timezone());
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
}
