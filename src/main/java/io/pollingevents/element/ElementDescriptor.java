package io.pollingevents.element;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine knows about one connector (element): the vendor's API root, how a request is authenticated from
 * the instance configuration, the vendor call behind each Open Connectors hub resource, where records are in an
 * answer, and the vendor's limits. Loaded from {@code elements/<key>.yaml}; docs/element-descriptors.md is the guide.
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
        Map<String, HubResource> resources,
        RateLimit rateLimit,
        ErrorCode errorCode,
        List<String> requiredKeys,
        List<String> optionalKeys,
        List<String> requiredProviderData,
        List<String> secretKeys) {

    /** Where an Open Connectors tenant's hubs are served unless {@code base.url} says otherwise. */
    public static final String OPEN_CONNECTORS_URL = "https://api.openconnectors.us2.ext.hana.ondemand.com/elements/api-v2";
    /** The configuration keys of {@code hub.mode=openconnectors}: the tenant's User and Organization secrets and the instance token. */
    public static final List<String> OPEN_CONNECTORS_KEYS = List.of("openconnectors.user.secret",
            "openconnectors.organization.secret", "openconnectors.element.token");

    public ElementDescriptor {
        requiredKeys = requiredKeys == null ? List.of() : requiredKeys;
        optionalKeys = optionalKeys == null ? List.of() : optionalKeys;
        requiredProviderData = requiredProviderData == null ? List.of() : requiredProviderData;
        secretKeys = secretKeys == null ? List.of() : secretKeys;
        records = records == null ? new Records("") : records;
        pagination = pagination == null ? Pagination.NONE : pagination;
        maxConcurrentCalls = maxConcurrentCalls == null ? 4 : maxConcurrentCalls;
        auth = auth == null ? new Auth("none", null, null, null, null, null, null, null, null) : auth;
        resources = resources == null ? Map.of() : new LinkedHashMap<>(resources);
    }

    /**
     * This element polled through an Open Connectors tenant ({@code hub.mode=openconnectors}): the hub paths as
     * written, Open Connectors' authorization header and paging, the tenant holding the vendor credentials.
     */
    public ElementDescriptor viaOpenConnectors() {
        List<String> secrets = new ArrayList<>(secretKeys);
        secrets.addAll(OPEN_CONNECTORS_KEYS);
        return new ElementDescriptor(key, name, hub, OPEN_CONNECTORS_URL,
                new Auth("openconnectors", null, null, null, null, null, null, null, null), new Records(""),
                new Pagination("openconnectors", null, null, null, null, null, null, null, null, null),
                maxConcurrentCalls, Map.of(), null, null, OPEN_CONNECTORS_KEYS, List.of(), List.of(), secrets);
    }

    /**
     * How requests are authenticated: {@code none}; {@code apiKey} (the value of configuration key {@code valueFrom} in
     * {@code header}); {@code bearer} ({@code valueFrom} as a Bearer token); {@code basic} ({@code usernameFrom} and
     * {@code passwordFrom}); {@code oauth2} (authorization code, Bearer access token, refreshed at {@code tokenUrl});
     * {@code configured} (the instance chooses with {@code http.auth.*} keys, for the generic {@code http} element);
     * {@code openconnectors} (User, Organization and Element of an Open Connectors tenant).
     */
    public record Auth(
            String type,
            String header,
            String valueFrom,
            String tokenUrl,
            String clientIdFrom,
            String clientSecretFrom,
            String redirectUriFrom,
            String usernameFrom,
            String passwordFrom) {

        public static final List<String> TYPES = List.of("none", "apiKey", "bearer", "basic", "oauth2", "configured", "openconnectors");

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

    /**
     * A vendor's request rate limit, kept per credential: every instance and resource that shares the credential
     * (the value of the auth's key) shares the limit, in a sliding window of one second.
     */
    public record RateLimit(Integer requestsPerSecond) {
    }

    /**
     * For vendors that answer errors with HTTP 200: a negative number at {@code codePath} is an error, explained by
     * the text at {@code messagePath}.
     */
    public record ErrorCode(String codePath, String messagePath) {
    }

    /** The configuration key whose value identifies the credential that vendor limits are counted against. */
    public String credentialKey() {
        if (auth.valueFrom() != null) {
            return auth.valueFrom();
        }
        return auth.clientIdFrom() != null ? auth.clientIdFrom() : auth.usernameFrom();
    }

    /** Problems of the descriptor as declared, each naming the field and the fix. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!Auth.TYPES.contains(auth.type())) {
            problems.add("auth.type '" + auth.type() + "' is unknown; use one of " + String.join(", ", Auth.TYPES));
        }
        pagination.problems().forEach(p -> problems.add("pagination " + p));
        if (!resources.isEmpty() && (hub == null || hub.isBlank())) {
            problems.add("'hub' is required with 'resources': the Open Connectors hub whose paths they translate, e.g. crm");
        }
        if (rateLimit != null && (rateLimit.requestsPerSecond() == null || rateLimit.requestsPerSecond() <= 0)) {
            problems.add("rateLimit.requestsPerSecond must be a positive number");
        }
        problems.addAll(HubAdapter.problems(this));
        return problems;
    }
}
