package io.pollingevents.element;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The vendor call one Open Connectors hub resource ({@code /hubs/<hub>/<resource>}) stands for, declared in the
 * element descriptor in the spirit of a low-code connector manifest: the request (method, path, fixed query
 * parameters or a JSON body template), where the records are, how the vendor pages, how a CEQL {@code where}
 * clause becomes the vendor's own filter, and how many of these calls may run at once per credential.
 *
 * @param method             GET (default) or POST
 * @param path               the vendor path, appended to the element's base URL
 * @param query              fixed query parameters sent with every call
 * @param body               JSON body template for POST; text values may hold URL placeholders
 * @param records            JSON Pointer to the records array in the answer
 * @param pagination         the vendor's paging, over the element's default
 * @param maxInFlight        calls of this resource in flight at once per credential (a vendor limit), unset for no limit
 * @param where              how CEQL clauses translate; a clause no rule matches is refused when the instance is created
 * @param scope              for vendors that return only the fields a request names: where in the body they are named
 * @param sortedByChangeDate whether the vendor returns records oldest change first, so a poll that could not read
 *                           every page may still move the watermark to the newest record it read
 */
@JsonIgnoreProperties(value = {"description"})
public record HubResource(
        String method,
        String path,
        Map<String, String> query,
        JsonNode body,
        String records,
        Pagination pagination,
        Integer maxInFlight,
        List<WhereRule> where,
        Scope scope,
        Boolean sortedByChangeDate) {

    public HubResource {
        method = method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
        query = query == null ? Map.of() : query;
        where = where == null ? List.of() : where;
        sortedByChangeDate = sortedByChangeDate != null && sortedByChangeDate;
    }

    /**
     * Fields a vendor returns only when the request names them.
     *
     * @param pointer  JSON Pointer to the object in the body template that names them ({@code {"Key":1,...}})
     * @param defaults the fields named when the resource's configuration does not list its own {@code fields}
     */
    public record Scope(String pointer, List<String> defaults) {
        public Scope {
            defaults = defaults == null ? List.of() : defaults;
        }
    }
}
