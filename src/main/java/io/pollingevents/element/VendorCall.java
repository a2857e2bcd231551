package io.pollingevents.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.pollingevents.format.UrlTemplate;

/**
 * The vendor request a resource's poll makes, resolved once when the instance is created: a URL template (absolute,
 * or relative to the base URL), an optional JSON body template, where the records are and how the vendor pages.
 *
 * @param maxInFlight calls of this kind in flight at once per credential, or null for no limit of its own
 */
public record VendorCall(String method, String url, JsonNode body, String records, Pagination pagination,
                         Integer maxInFlight, boolean sortedByChangeDate) {

    /** A GET of the URL as written, with the element's records path and paging. */
    public static VendorCall get(String url, ElementDescriptor element) {
        return new VendorCall("GET", url, null, element.records().path(), element.pagination(), null, false);
    }

    /** This call with the resource's own records path and merged pagination. */
    public VendorCall with(String recordsPath, Pagination merged) {
        return new VendorCall(method, url, body, recordsPath, merged, maxInFlight, sortedByChangeDate);
    }

    /** Method and path, e.g. {@code GET /candidates}: what a vendor's in-flight limit counts. */
    public String describe() {
        return method + " " + UrlTemplate.pathOf(url);
    }
}
