package io.pollingevents.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.FieldError;
import io.pollingevents.config.InvalidInstanceException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The Open Connectors-compatible instance API in REST DSL:
 * {@code POST|GET /elements/api-v2/instances} and {@code GET|PATCH|DELETE /elements/api-v2/instances/{id}}, the event
 * log and replay under {@code /{id}/events}, poll previews ({@code POST /preview},
 * {@code POST /{id}/resources/{resource}/preview}), and the engine's additions the console calls (activity, engine
 * status, elements), all listed in docs/api.md.
 */
public final class InstanceApiRoutes extends RouteBuilder {
    public static final String API_ROOT = "/elements/api-v2";
    public static final String BASE_PATH = API_ROOT + "/instances";
    /** The response header that carries the token of the next page of a list, as in Open Connectors. */
    public static final String NEXT_PAGE_HEADER = "elements-next-page-token";
    static final int MAX_BODY_CHARS = 512 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(InstanceApiRoutes.class);

    private final InstanceCommands commands;
    private final InstanceQueries queries;
    private final EventLog eventLog;
    private final InstancePreviews previews;
    private final InstanceActivity activity;
    private final EngineStatus engineStatus;
    private final ElementList elementList;
    private final ApiCredentials credentials;
    private final ObjectMapper mapper;

    public InstanceApiRoutes(InstanceCommands commands, InstanceQueries queries, EventLog eventLog, InstancePreviews previews,
                             InstanceActivity activity, EngineStatus engineStatus, ElementList elementList, ApiCredentials credentials,
                             ObjectMapper mapper) {
        this.previews = previews;
        this.commands = commands;
        this.queries = queries;
        this.eventLog = eventLog;
        this.activity = activity;
        this.engineStatus = engineStatus;
        this.elementList = elementList;
        this.credentials = credentials;
        this.mapper = mapper;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::error);

        rest(BASE_PATH).bindingMode(RestBindingMode.off)
                .post().id("api-create-instance").to("direct:pe-api-create")
                .get().id("api-list-instances").to("direct:pe-api-list")
                .get("/{id}").id("api-get-instance").to("direct:pe-api-get")
                .patch("/{id}").id("api-patch-instance").to("direct:pe-api-patch")
                .delete("/{id}").id("api-delete-instance").to("direct:pe-api-delete")
                .get("/{id}/events").id("api-list-events").to("direct:pe-api-events")
                .post("/{id}/events/retry").id("api-retry-events").to("direct:pe-api-retry-all")
                .post("/{id}/events/{eventId}/retry").id("api-retry-event").to("direct:pe-api-retry-event")
                .post("/preview").id("api-preview-body").to("direct:pe-api-preview-body")
                .post("/{id}/resources/{resource}/preview").id("api-preview-resource").to("direct:pe-api-preview-resource")
                .get("/{id}/events/{eventId}/notification").id("api-event-notification").to("direct:pe-api-event-notification")
                .get("/{id}/activity").id("api-instance-activity").to("direct:pe-api-activity");
        rest(API_ROOT).bindingMode(RestBindingMode.off)
                .get("/engine").id("api-engine").to("direct:pe-api-engine")
                .get("/elements").id("api-elements").to("direct:pe-api-elements");

        from("direct:pe-api-create").routeId("pe-api-create")
                .process(e -> respond(e, 200, commands.create(authorizedBody(e))));
        from("direct:pe-api-list").routeId("pe-api-list")
                .process(e -> { authorize(e); listPage(e); });
        from("direct:pe-api-get").routeId("pe-api-get")
                .process(e -> { authorize(e); respond(e, 200, queries.get(id(e))); });
        from("direct:pe-api-patch").routeId("pe-api-patch")
                .process(e -> respond(e, 200, commands.patch(id(e), authorizedBody(e))));
        from("direct:pe-api-events").routeId("pe-api-events")
                .process(e -> { authorize(e); respond(e, 200, eventLog.events(id(e), e.getMessage().getHeader("status", String.class),
                        limit(e))); });
        from("direct:pe-api-retry-all").routeId("pe-api-retry-all")
                .process(e -> { authorize(e); respond(e, 200, eventLog.retryAll(id(e), e.getMessage().getHeader("status", String.class))); });
        from("direct:pe-api-retry-event").routeId("pe-api-retry-event")
                .process(e -> { authorize(e); respond(e, 200, eventLog.retryEvent(id(e), e.getMessage().getHeader("eventId", String.class))); });
        from("direct:pe-api-preview-body").routeId("pe-api-preview-body")
                .process(e -> respond(e, 200, previews.unstored(authorizedBody(e), e.getMessage().getHeader("resource", String.class),
                        e.getMessage().getHeader("since", String.class))));
        from("direct:pe-api-preview-resource").routeId("pe-api-preview-resource")
                .process(e -> { authorize(e); respond(e, 200, previews.stored(id(e), e.getMessage().getHeader("resource", String.class),
                        e.getMessage().getHeader("since", String.class))); });
        from("direct:pe-api-event-notification").routeId("pe-api-event-notification")
                .process(e -> { authorize(e); respond(e, 200, eventLog.notification(id(e), e.getMessage().getHeader("eventId", String.class))); });
        from("direct:pe-api-activity").routeId("pe-api-activity")
                .process(e -> { authorize(e); respond(e, 200, activity.activity(id(e), e.getMessage().getHeader("minutes", String.class))); });
        from("direct:pe-api-engine").routeId("pe-api-engine")
                .process(e -> { authorize(e); respond(e, 200, engineStatus.status(e.getContext())); });
        from("direct:pe-api-elements").routeId("pe-api-elements")
                .process(e -> { authorize(e); respond(e, 200, elementList.list()); });
        from("direct:pe-api-delete").routeId("pe-api-delete")
                .process(e -> { authorize(e); commands.delete(id(e)); e.getMessage().setBody(null);
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200); });
    }

    private void listPage(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        InstancePage page = queries.list(in.getHeader("pageSize", String.class), in.getHeader("nextPage", String.class),
                in.getHeader("search", String.class));
        respond(exchange, 200, page.instances());
        if (page.nextPageToken() != null) {
            exchange.getMessage().setHeader(NEXT_PAGE_HEADER, page.nextPageToken());
        }
    }

    private void authorize(Exchange exchange) {
        credentials.check(exchange.getMessage().getHeader("Authorization", String.class));
    }

    private String authorizedBody(Exchange exchange) {
        authorize(exchange);
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw new ApiException(413, "the body has " + body.length() + " characters; an instance body may have at most " + MAX_BODY_CHARS);
        }
        return body;
    }

    private static int limit(Exchange exchange) {
        String text = exchange.getMessage().getHeader("limit", String.class);
        if (text == null || text.isBlank()) {
            return 1000;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "limit: '" + text + "' is not a positive number of events");
    }

    private static long id(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ApiException(404, "no instance with id '" + id + "'; instance ids are numbers");
        }
    }

    private void respond(Exchange exchange, int status, Object json) throws Exception {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private void error(Exchange exchange) throws Exception {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ObjectNode body = mapper.createObjectNode();
        body.put("requestId", UUID.randomUUID().toString());
        int status;
        if (error instanceof InvalidInstanceException invalid) {
            status = 400;
            body.put("message", "Invalid instance: " + invalid.getMessage());
            ArrayNode errors = body.putArray("errors");
            for (FieldError fieldError : invalid.errors()) {
                errors.addObject().put("field", fieldError.field()).put("message", fieldError.message());
            }
        } else if (error instanceof ApiException api) {
            status = api.status();
            body.put("message", api.getMessage());
        } else {
            // driver messages may quote submitted values (secrets), so they go to the log only
            status = 500;
            body.put("message", "internal error; the engine log has the details under requestId " + body.get("requestId").asText());
            LOG.error("API request {} failed with {} (details at DEBUG level of {}; they may quote submitted secrets)",
                    body.get("requestId").asText(), error.getClass().getName(), InstanceApiRoutes.class.getName());
            LOG.debug("API request {} failed", body.get("requestId").asText(), error);
        }
        respond(exchange, status, body);
    }
}
