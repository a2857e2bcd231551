package io.pollingevents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.poll.PollContext;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a hub response: checks the status, parses the JSON and takes the array at the
 * element's records path. Errors name the URL, the status and what was expected.
 */
public final class HubResponseReader {
    private final ObjectMapper mapper;
    private final OAuth2Client oauth;

    public HubResponseReader(ObjectMapper mapper, OAuth2Client oauth) {
        this.mapper = mapper;
        this.oauth = oauth;
    }

    public List<JsonNode> read(Exchange exchange) throws IOException {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        String url = exchange.getProperty("pollingHubUrl", String.class);
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            String body = exchange.getIn().getBody(String.class);
            if (status == 401 && poll.element().auth().isOAuth2()) {
                oauth.invalidate(poll.instance().id());
                throw new HubCallException("hub answered 401 to GET " + url + "; the OAuth2 access token will be refreshed before the next poll");
            }
            throw new HubCallException("hub answered " + status + " to GET " + url + ": " + abbreviate(body));
        }
        JsonNode root;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            if (in == null) {
                throw new HubCallException("hub answered " + status + " with an empty body to GET " + url + "; expected a JSON array of records");
            }
            root = mapper.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HubCallException("hub answered GET " + url + " with invalid JSON: " + e.getOriginalMessage(), e);
        }
        String path = poll.element().records().path();
        JsonNode records = path == null || path.isEmpty() ? root : root.at(path);
        if (records == null || records.isMissingNode() || records.isNull()) {
            return List.of();
        }
        if (!records.isArray()) {
            throw new HubCallException("hub answered GET " + url + " with a JSON " + records.getNodeType().name().toLowerCase()
                    + " where the records array was expected (records.path '" + path + "' in elements/" + poll.element().key() + ".yaml)");
        }
        List<JsonNode> list = new ArrayList<>(records.size());
        records.forEach(list::add);
        return list;
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
