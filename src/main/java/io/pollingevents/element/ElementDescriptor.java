package io.pollingevents.element;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What the engine knows about one connector (element): where its hub is, how a hub request is
 * authenticated from the instance configuration, and where the records are in a hub response.
 * Loaded from {@code elements/<key>.yaml}.
 */
@JsonIgnoreProperties(value = {"description"})
public record ElementDescriptor(
        String key,
        String name,
        String hub,
        String baseUrl,
        Auth auth,
        Records records,
        Pagination pagination,
        Integer maxConcurrentCalls,
        List<String> requiredKeys,
        List<String> requiredProviderData,
        List<String> secretKeys) {

    public ElementDescriptor {
        requiredKeys = requiredKeys == null ? List.of() : requiredKeys;
        requiredProviderData = requiredProviderData == null ? List.of() : requiredProviderData;
        secretKeys = secretKeys == null ? List.of() : secretKeys;
        records = records == null ? new Records("") : records;
        pagination = pagination == null ? Pagination.NONE : pagination;
        maxConcurrentCalls = maxConcurrentCalls == null ? 4 : maxConcurrentCalls;
        auth = auth == null ? new Auth("none", null, null, null, null, null, null) : auth;
    }

    /** How hub requests are authenticated: {@code none}, {@code apiKey} (a header) or {@code oauth2} (Bearer). */
    public record Auth(
            String type,
            String header,
            String valueFrom,
            String tokenUrl,
            String clientIdFrom,
            String clientSecretFrom,
            String redirectUriFrom) {

        public boolean isOAuth2() {
            return "oauth2".equals(type);
        }

        public boolean isApiKey() {
            return "apiKey".equals(type);
        }
    }

    /** Where the records are: a JSON Pointer into the response; empty means the response is the array. */
    public record Records(String path) {
    }
}
