package io.pollingevents.hub;

import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementDescriptor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The {@code hubRequest} bean of the poll route: decides whether another page is asked for, and prepares each hub
 * call: method, page URL and body of the poll's {@link HubSession}, and the element's authentication header.
 */
public final class HubRequest {
    /** Exchange property holding the hub request being answered. */
    public static final String REQUEST = "pollingHubRequest";
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
        HubSession.PageRequest request = session.nextRequest();
        Message in = exchange.getIn();
        in.setBody(request.body());
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method())); // upper case already (HubResource); see DeliveryAttempt
        in.setHeader(Exchange.HTTP_URI, request.url());
        in.setHeader("Accept", "application/json");
        if (request.body() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        String[] auth = authorization(session.instance(), session.element());
        if (auth != null) {
            in.setHeader(auth[0], auth[1]);
        }
        exchange.setProperty(REQUEST, request);
    }

    /** The authentication header (name and value) the element asks for, or null for none. */
    String[] authorization(InstanceDefinition instance, ElementDescriptor element) throws InterruptedException {
        ElementDescriptor.Auth auth = element.auth();
        return switch (auth.type()) {
            case "apiKey" -> new String[] {auth.header(), instance.config(auth.valueFrom())};
            case "bearer" -> new String[] {"Authorization", "Bearer " + instance.config(auth.valueFrom())};
            case "basic" -> basic(instance.config(auth.usernameFrom()), instance.config(auth.passwordFrom()));
            case "oauth2" -> new String[] {"Authorization", "Bearer " + oauth.accessToken(instance, element)};
            case "openconnectors" -> new String[] {"Authorization", String.join(", ", List.of(
                    "User " + instance.config(ElementDescriptor.OPEN_CONNECTORS_KEYS.get(0)),
                    "Organization " + instance.config(ElementDescriptor.OPEN_CONNECTORS_KEYS.get(1)),
                    "Element " + instance.config(ElementDescriptor.OPEN_CONNECTORS_KEYS.get(2))))};
            case "configured" -> configured(instance);
            default -> null;
        };
    }

    private static String[] configured(InstanceDefinition instance) {
        String type = instance.config(ConfigKeys.HTTP_AUTH_TYPE);
        String value = instance.config(ConfigKeys.HTTP_AUTH_VALUE);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "apiKey" -> {
                String header = instance.config(ConfigKeys.HTTP_AUTH_HEADER);
                yield new String[] {header == null || header.isBlank() ? "X-API-Key" : header, value};
            }
            case "bearer" -> new String[] {"Authorization", "Bearer " + value};
            case "basic" -> basic(instance.config(ConfigKeys.HTTP_AUTH_USERNAME), instance.config(ConfigKeys.HTTP_AUTH_PASSWORD));
            default -> null;
        };
    }

    private static String[] basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))};
    }

    static HubSession session(Exchange exchange) {
        return exchange.getProperty(HubSession.PROPERTY, HubSession.class);
    }
}
