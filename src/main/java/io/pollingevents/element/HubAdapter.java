package io.pollingevents.element;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.format.UrlTemplate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a resource URL of an instance body into the vendor call that serves it. An Open Connectors hub path
 * ({@code /hubs/<hub>/<resource>?where=<CEQL>}) becomes the call its element declares for that resource, with the
 * CEQL clauses translated into the vendor's filter; an absolute URL, or a path outside {@code /hubs/}, is called as
 * written. What cannot be translated is an {@link IllegalArgumentException} saying what the element supports.
 */
public final class HubAdapter {
    private static final String HUBS = "/hubs/";

    private HubAdapter() {
    }

    /**
     * @param element     the instance's element (for {@code hub.mode=openconnectors}, its Open Connectors form)
     * @param url         the resource URL as configured, placeholders intact
     * @param fields      the resource's own {@code fields}, or empty for the element's default scope
     * @param namedFields fields the engine reads from every record (id and date fields), always in the scope
     */
    public static VendorCall resolve(ElementDescriptor element, String url, List<String> fields, List<String> namedFields) {
        if (element.resources().isEmpty() || url.startsWith("http://") || url.startsWith("https://") || !url.startsWith(HUBS)) {
            return VendorCall.get(url, element);
        }
        String path = UrlTemplate.pathOf(url);
        String[] parts = path.substring(HUBS.length()).split("/");
        if (!parts[0].equals(element.hub())) {
            throw new IllegalArgumentException("'" + path + "' is a path of hub '" + parts[0] + "', but element '" + element.key()
                    + "' serves hub '" + element.hub() + "'; use /hubs/" + element.hub() + "/<resource>");
        }
        String name = parts.length == 2 ? parts[1] : null;
        HubResource resource = name == null ? null : element.resources().get(name);
        if (resource == null) {
            throw new IllegalArgumentException("element '" + element.key() + "' has no hub resource '" + path.substring(HUBS.length() + element.hub().length() + 1)
                    + "'; it translates /hubs/" + element.hub() + "/" + String.join(", /hubs/" + element.hub() + "/",
                    element.resources().keySet()) + " (add one to elements/" + element.key() + ".yaml, or use \"hub.mode\": \"openconnectors\")");
        }
        return translate(element, name, resource, UrlTemplate.queryOf(url), fields, namedFields);
    }

    private static VendorCall translate(ElementDescriptor element, String name, HubResource resource,
                                        List<Map.Entry<String, String>> params, List<String> fields, List<String> namedFields) {
        StringBuilder url = new StringBuilder(resource.path());
        List<Map.Entry<String, String>> query = new ArrayList<>(resource.query().entrySet());
        ObjectNode body = resource.body() == null ? null : resource.body().deepCopy();
        for (Map.Entry<String, String> param : params) {
            if (param.getKey().equals("where")) {
                for (Ceql.Clause clause : Ceql.parse(param.getValue()).clauses()) {
                    WhereRule rule = resource.where().stream().filter(r -> r.matches(clause)).findFirst()
                            .orElseThrow(() -> untranslatable(element, name, resource, clause));
                    if (rule.param() != null) {
                        query.add(Map.entry(rule.param(), clause.value()));
                    } else {
                        ObjectNode condition = JsonNodeFactory.instance.objectNode();
                        condition.putObject(clause.field()).put(rule.opNames().get(clause.op()), clause.value());
                        ((ArrayNode) body.at(rule.appendTo())).add(condition);
                    }
                }
            } else if (body == null) {
                query.add(param); // any other parameter goes to the vendor unchanged
            } else {
                throw new IllegalArgumentException("query parameter '" + param.getKey() + "' has no meaning for element '" + element.key()
                        + "', whose " + name + " are read with " + resource.method() + " " + resource.path()
                        + " and a JSON body; remove it (filters go in where=...)");
            }
        }
        if (resource.scope() != null && body != null) {
            Set<String> scope = new LinkedHashSet<>(fields.isEmpty() ? resource.scope().defaults() : fields);
            scope.addAll(namedFields);
            ObjectNode named = (ObjectNode) body.at(resource.scope().pointer());
            named.removeAll();
            scope.forEach(field -> named.put(field, 1));
        }
        for (int i = 0; i < query.size(); i++) {
            url.append(i == 0 ? '?' : '&').append(UrlTemplate.escapeLiteral(query.get(i).getKey())).append('=')
                    .append(UrlTemplate.escapeLiteral(query.get(i).getValue()));
        }
        return new VendorCall(resource.method(), url.toString(), body, resource.records() != null ? resource.records()
                : element.records().path(), resource.pagination() != null ? element.pagination().overriddenBy(resource.pagination())
                : element.pagination(), resource.maxInFlight(), resource.sortedByChangeDate());
    }

    private static IllegalArgumentException untranslatable(ElementDescriptor element, String name, HubResource resource, Ceql.Clause clause) {
        String supported = resource.where().isEmpty() ? "no where clauses"
                : resource.where().stream().map(WhereRule::describe).collect(Collectors.joining("; "));
        return new IllegalArgumentException("where clause " + clause + " cannot be translated for element '" + element.key()
                + "' resource '" + name + "'; it supports " + supported);
    }

    /** Problems of a descriptor's resources as declared, each naming the resource and the fix. */
    static List<String> problems(ElementDescriptor element) {
        List<String> problems = new ArrayList<>();
        element.resources().forEach((name, resource) -> {
            String at = "resources." + name + ": ";
            if (resource.path() == null || !resource.path().startsWith("/")) {
                problems.add(at + "path is required and starts with '/', e.g. /candidates");
            }
            if (!resource.method().equals("GET") && !resource.method().equals("POST")) {
                problems.add(at + "method '" + resource.method() + "' is not supported; use GET or POST");
            }
            if (resource.method().equals("POST") != (resource.body() != null && resource.body().isObject())) {
                problems.add(at + "a POST needs a JSON object 'body' template, and only a POST has one");
            }
            resource.where().forEach(rule -> {
                rule.problems().forEach(p -> problems.add(at + p));
                if (rule.appendTo() != null && (resource.body() == null || !resource.body().at(rule.appendTo()).isArray())) {
                    problems.add(at + "where rule appendTo '" + rule.appendTo() + "' is not an array in the body template");
                }
            });
            if (resource.scope() != null && (resource.body() == null || !resource.body().at(resource.scope().pointer()).isObject())) {
                problems.add(at + "scope pointer '" + resource.scope().pointer() + "' is not an object in the body template");
            }
            if (resource.pagination() != null) {
                element.pagination().overriddenBy(resource.pagination()).withDefaults().problems()
                        .forEach(p -> problems.add(at + "pagination " + p));
            }
            if (resource.maxInFlight() != null && resource.maxInFlight() <= 0) {
                problems.add(at + "maxInFlight must be a positive number");
            }
        });
        return problems;
    }
}
