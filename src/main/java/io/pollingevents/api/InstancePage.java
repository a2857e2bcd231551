package io.pollingevents.api;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One page of {@code GET /instances}: the instances shown and, when more follow, the opaque token of the next page,
 * which the API returns in the {@code elements-next-page-token} header as Open Connectors lists do.
 */
public record InstancePage(ArrayNode instances, String nextPageToken) {
    static final int DEFAULT_SIZE = 200;
    static final int MAX_SIZE = 500;
    private static final String PREFIX = "after:";

    /** The token of the page after the instance with this id. */
    static String tokenAfter(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a page starts after: 0 without a token; a token the API did not hand out is refused with 400. */
    static long afterId(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return Long.parseLong(text.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException ignored) {
            // answered below (NumberFormatException is an IllegalArgumentException)
        }
        throw new ApiException(400, "nextPage: '" + token + "' is not a page token; pass the elements-next-page-token header of the"
                + " previous page unchanged");
    }

    /** The page size asked for: {@value #DEFAULT_SIZE} when absent, 1 to {@value #MAX_SIZE} otherwise. */
    static int size(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(text.trim());
            if (size > 0 && size <= MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "pageSize: '" + text + "' is not a number from 1 to " + MAX_SIZE);
    }
}
