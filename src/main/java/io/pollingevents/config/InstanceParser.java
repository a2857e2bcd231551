package io.pollingevents.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.element.HubAdapter;
import io.pollingevents.element.Pagination;
import io.pollingevents.element.VendorCall;
import io.pollingevents.format.DatePatterns;
import io.pollingevents.format.Durations;
import io.pollingevents.format.UrlTemplate;

import java.math.BigDecimal;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Open Connectors instance body into an {@link InstanceDefinition}, collecting every problem as a
 * {@link FieldError} that names the JSON path and the fix.
 */
public final class InstanceParser {
    static final Set<String> TOP_LEVEL_KEYS = Set.of("element", "configuration", "providerData", "tags", "name",
            "description");
    static final Set<String> RESOURCE_KEYS = Set.of("url", "idField", "datesConfiguration", "pagination", "records", "fields",
            "lookback");
    static final Set<String> PAGINATION_KEYS = Set.of("type", "pageSize", "pageSizeParam", "offsetParam", "cursorParam",
            "cursorPath", "nextPageHeader", "maxPages", "cursorBodyPath", "pageSizeBodyPath");
    static final List<String> HUB_MODES = List.of("vendor", ElementRegistry.OPEN_CONNECTORS_MODE);
    static final List<String> HTTP_AUTH_TYPES = List.of("none", "apiKey", "bearer", "basic");
    /** The longest lookback; delivered events are remembered for polling.delivery.retention, which must cover it. */
    static final Duration MAX_LOOKBACK = Duration.ofDays(1);
    static final Set<String> DATES_KEYS = Set.of("updatedDateField", "updatedDateFormat", "updatedDateTimezone",
            "createdDateField", "createdDateFormat", "createdDateTimezone");
    static final BigDecimal DEFAULT_INTERVAL_MINUTES = BigDecimal.valueOf(15);
    private static final long MIN_INTERVAL_MILLIS = 1000;
    private static final BigDecimal MAX_INTERVAL_MINUTES = BigDecimal.valueOf(525_600);

    private final ObjectMapper mapper;
    private final ElementRegistry elements;

    public InstanceParser(ObjectMapper mapper, ElementRegistry elements) {
        this.mapper = mapper;
        this.elements = elements;
    }

    /** Parses raw request text; malformed JSON is reported with its line and column. */
    public ObjectNode readBody(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInstanceException("$", "the request body is empty; send the instance JSON");
        }
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidInstanceException("$", "malformed JSON at line " + (loc == null ? "?" : loc.getLineNr())
                    + ", column " + (loc == null ? "?" : loc.getColumnNr()) + ": " + e.getOriginalMessage()
                    + "; check for a missing comma, quote or brace there");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidInstanceException("$", "the body must be a JSON object like {\"element\":{\"key\":...},\"configuration\":{...},\"name\":...}");
        }
        return object;
    }

    /** Validates a body and returns the definition to poll with (id, token and creation time still unset). */
    public InstanceDefinition parse(ObjectNode original) {
        ObjectNode body = original.deepCopy();
        List<FieldError> errors = new ArrayList<>();
        checkKeys("", body, TOP_LEVEL_KEYS, errors, false);

        String elementKey = body.path("element").path("key").asText(null);
        ElementDescriptor element = null;
        if (elementKey == null || elementKey.isBlank()) {
            errors.add(new FieldError("element.key", "required; name the connector, e.g. {\"element\":{\"key\":\"smartrecruiters\"}}"));
        } else {
            String hubMode = body.path("configuration").path(ConfigKeys.HUB_MODE).asText("vendor");
            if (!HUB_MODES.contains(hubMode)) {
                errors.add(new FieldError(configPath(ConfigKeys.HUB_MODE), "'" + hubMode + "' is not a hub mode; use \"vendor\" "
                        + "(the default: the vendor's own API) or \"openconnectors\" (an Open Connectors tenant)"));
            }
            element = elements.find(elementKey, hubMode).orElse(null);
            if (element == null) {
                errors.add(new FieldError("element.key", "unknown element '" + elementKey + "'; known elements are "
                        + String.join(", ", elements.keys()) + " (add elements/" + elementKey + ".yaml to define it)"));
            }
        }
        String name = textOrNull(body.get("name"));
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "required; give the instance a name"));
        } else if (name.length() > 1000) {
            errors.add(new FieldError("name", "is " + name.length() + " characters long; use at most 1000"));
        }
        List<String> tags = new ArrayList<>();
        JsonNode tagsNode = body.get("tags");
        if (tagsNode != null && !tagsNode.isNull()) {
            if (!tagsNode.isArray()) {
                errors.add(new FieldError("tags", "must be an array of strings, e.g. [\"Docs\"]"));
            } else {
                for (JsonNode tag : tagsNode) {
                    if (!tag.isTextual()) {
                        errors.add(new FieldError("tags", "must hold strings only, got " + tag));
                    } else {
                        tags.add(tag.asText());
                    }
                }
            }
        }
        JsonNode providerData = body.get("providerData");
        if (providerData != null && !providerData.isNull() && !providerData.isObject()) {
            errors.add(new FieldError("providerData", "must be a JSON object, e.g. {\"code\":\"...\"}"));
        }

        JsonNode configNode = body.get("configuration");
        if (!(configNode instanceof ObjectNode config)) {
            errors.add(new FieldError("configuration", "required; a JSON object of configuration keys"));
            throw new InvalidInstanceException(errors);
        }
        Set<String> known = new HashSet<>(ConfigKeys.ENGINE_KEYS);
        if (element != null) {
            known.addAll(element.requiredKeys());
            known.addAll(element.optionalKeys());
            known.addAll(element.secretKeys());
            if ("configured".equals(element.auth().type())) {
                checkConfiguredAuth(config, errors);
            }
            for (String key : element.requiredKeys()) {
                if (textOrNull(config.get(key)) == null || config.get(key).asText().isBlank()) {
                    errors.add(new FieldError(configPath(key), "required by element '" + element.key() + "'; set it"));
                }
            }
            for (String key : element.requiredProviderData()) {
                if (providerData == null || textOrNull(providerData.get(key)) == null || providerData.get(key).asText().isBlank()) {
                    errors.add(new FieldError("providerData." + key, "required by element '" + element.key()
                            + "' (the OAuth2 authorization grant code)"));
                }
            }
        }
        checkKeys("configuration", config, known, errors, true);

        boolean enabled = parseEnabled(config.get(ConfigKeys.ENABLED), errors);
        String vendorType = textOrNull(config.get(ConfigKeys.VENDOR_TYPE));
        if (vendorType != null && !vendorType.equals("polling")) {
            errors.add(new FieldError(configPath(ConfigKeys.VENDOR_TYPE), "'" + vendorType
                    + "' is not supported; this engine polls, set it to \"polling\" or leave it out"));
        }
        ZoneId zone = parseZone(textOrNull(config.get(ConfigKeys.TIMEZONE)), configPath(ConfigKeys.TIMEZONE), ZoneOffset.UTC, errors);
        long interval = parseInterval(config.get(ConfigKeys.REFRESH_INTERVAL), errors);
        String callbackUrl = textOrNull(config.get(ConfigKeys.CALLBACK_URL));
        if (callbackUrl != null || enabled) {
            checkHttpUrl(callbackUrl, configPath(ConfigKeys.CALLBACK_URL), "where events are POSTed", errors);
        }
        for (String key : List.of(ConfigKeys.BASE_URL, ConfigKeys.OAUTH_TOKEN_URL)) {
            if (config.hasNonNull(key)) {
                checkHttpUrl(config.get(key).asText(), configPath(key), "", errors);
            }
        }
        checkSignatureScheme(config, errors);
        List<ResourceConfig> resources = parseResources(config, zone, enabled, element, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInstanceException(errors);
        }
        return new InstanceDefinition(0, null, elementKey, name, List.copyOf(tags), body, enabled, callbackUrl,
                textOrNull(config.get(ConfigKeys.SIGNATURE_KEY)), interval, zone, List.copyOf(resources), null);
    }

    private List<ResourceConfig> parseResources(ObjectNode config, ZoneId instanceZone, boolean enabled, ElementDescriptor element,
                                                List<FieldError> errors) {
        String path = configPath(ConfigKeys.POLLER_CONFIGURATION);
        JsonNode node = config.get(ConfigKeys.POLLER_CONFIGURATION);
        if (node != null && node.isTextual()) {
            try {
                node = mapper.readTree(node.asText());
                config.set(ConfigKeys.POLLER_CONFIGURATION, node);
            } catch (JsonProcessingException e) {
                errors.add(new FieldError(path, "is a string but not valid JSON (" + e.getOriginalMessage()
                        + "); give it as a JSON object or a correctly escaped JSON string"));
                return List.of();
            }
        }
        if (node == null || node.isNull()) {
            if (enabled) {
                errors.add(new FieldError(path, "required when events are enabled; name at least one resource to poll, "
                        + "e.g. {\"contacts\":{\"url\":\"/hubs/crm/contacts\",\"idField\":\"id\"}}"));
            }
            return List.of();
        }
        if (!node.isObject() || (enabled && node.isEmpty())) {
            errors.add(new FieldError(path, "must be a JSON object with one entry per resource to poll"));
            return List.of();
        }
        List<ResourceConfig> resources = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String resourcePath = path + "." + entry.getKey();
            if (!entry.getKey().matches("[A-Za-z0-9_.-]{1,100}")) {
                errors.add(new FieldError(resourcePath, "resource names may use letters, digits, '_', '.' and '-' only, at most 100"));
                continue;
            }
            if (!(entry.getValue() instanceof ObjectNode resource)) {
                errors.add(new FieldError(resourcePath, "must be an object with 'url' and 'idField'"));
                continue;
            }
            checkKeys(resourcePath, resource, RESOURCE_KEYS, errors, true);
            String url = textOrNull(resource.get("url"));
            if (url == null || url.isBlank()) {
                errors.add(new FieldError(resourcePath + ".url", "required; the hub URL to poll, e.g. \"/hubs/crm/contacts?where=...\""));
            } else {
                UrlTemplate.problems(url).forEach(p -> errors.add(new FieldError(resourcePath + ".url", p)));
            }
            String idField = textOrNull(resource.get("idField"));
            if (idField == null || idField.isBlank()) {
                errors.add(new FieldError(resourcePath + ".idField", "required; the record field that identifies an object, e.g. \"id\""));
            }
            DateField updated = null;
            DateField created = null;
            JsonNode dates = resource.get("datesConfiguration");
            if (dates != null && !dates.isNull()) {
                String datesPath = resourcePath + ".datesConfiguration";
                if (!dates.isObject()) {
                    errors.add(new FieldError(datesPath, "must be a JSON object"));
                } else {
                    checkKeys(datesPath, (ObjectNode) dates, DATES_KEYS, errors, false);
                    updated = dateField(dates, "updated", datesPath, instanceZone, errors);
                    created = dateField(dates, "created", datesPath, instanceZone, errors);
                }
            }
            List<String> fields = fields(resource.get("fields"), resourcePath + ".fields", errors);
            VendorCall call = null;
            if (element != null && url != null && !url.isBlank()) {
                List<String> named = new ArrayList<>();
                for (String field : new String[] {idField, updated == null ? null : updated.name(), created == null ? null : created.name()}) {
                    if (field != null && !field.isBlank()) {
                        named.add(field);
                    }
                }
                try {
                    call = HubAdapter.resolve(element, url, fields, named);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(resourcePath + ".url", e.getMessage()));
                }
            }
            String records = records(resource.get("records"), resourcePath + ".records", errors);
            Pagination pagination = pagination(resource.get("pagination"), call == null ? null : call.pagination(),
                    resourcePath + ".pagination", errors);
            Duration lookback = lookback(resource.get("lookback"), resourcePath + ".lookback", url, updated != null ? updated : created, errors);
            if (call != null) {
                resources.add(new ResourceConfig(entry.getKey(), url, idField, updated, created,
                        call.with(records != null ? records : call.records(), pagination), lookback));
            }
        }
        return resources;
    }

    private static List<String> fields(JsonNode node, String path, List<FieldError> errors) {
        List<String> fields = new ArrayList<>();
        if (node == null || node.isNull()) {
            return fields;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(path, "must be an array of field names, e.g. [\"Key\", \"Email\", \"LastModifyDate\"]"));
            return fields;
        }
        for (JsonNode field : node) {
            if (!field.isTextual() || field.asText().isBlank()) {
                errors.add(new FieldError(path, "must hold field names only, got " + field));
            } else {
                fields.add(field.asText());
            }
        }
        return fields;
    }

    private static String records(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        String pointer = node.asText();
        if (!node.isTextual() || !(pointer.isEmpty() || pointer.startsWith("/"))) {
            errors.add(new FieldError(path, "must be a JSON Pointer to the records array, e.g. \"/data/items\", or \"\" for an answer that is the array"));
            return null;
        }
        return pointer;
    }

    /** The resource's lookback, by default one step of the coarsest date precision its URL and change date use. */
    private static Duration lookback(JsonNode node, String path, String url, DateField changeDate, List<FieldError> errors) {
        if (node != null && !node.isNull()) {
            try {
                Duration lookback = Durations.parse(node.asText(), path);
                if (lookback.compareTo(MAX_LOOKBACK) > 0) {
                    errors.add(new FieldError(path, node.asText() + " is longer than 1d; use at most 1d"));
                }
                return lookback;
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(path, "'" + node.asText() + "' is not a duration; use a number with ms, s, m or h, e.g. \"2s\" or \"0s\""));
                return Duration.ZERO;
            }
        }
        Duration precision = Duration.ZERO;
        try {
            precision = url == null ? Duration.ZERO : UrlTemplate.precision(url);
        } catch (IllegalArgumentException e) {
            // the URL's own problems are reported with the URL
        }
        if (changeDate != null && changeDate.formatter() != null) {
            Duration datePrecision = DatePatterns.precision(changeDate.formatter());
            precision = datePrecision.compareTo(precision) > 0 ? datePrecision : precision;
        }
        return precision;
    }

    private static void checkConfiguredAuth(ObjectNode config, List<FieldError> errors) {
        String type = textOrNull(config.get(ConfigKeys.HTTP_AUTH_TYPE));
        if (type == null || type.equals("none")) {
            return;
        }
        if (!HTTP_AUTH_TYPES.contains(type)) {
            errors.add(new FieldError(configPath(ConfigKeys.HTTP_AUTH_TYPE), "'" + type + "' is not an authentication type; use "
                    + String.join(", ", HTTP_AUTH_TYPES)));
            return;
        }
        List<String> needed = type.equals("basic") ? List.of(ConfigKeys.HTTP_AUTH_USERNAME, ConfigKeys.HTTP_AUTH_PASSWORD)
                : List.of(ConfigKeys.HTTP_AUTH_VALUE);
        for (String key : needed) {
            if (textOrNull(config.get(key)) == null || config.get(key).asText().isBlank()) {
                errors.add(new FieldError(configPath(key), "required with " + ConfigKeys.HTTP_AUTH_TYPE + " \"" + type + "\"; set it"));
            }
        }
    }

    private Pagination pagination(JsonNode node, Pagination callPagination, String path, List<FieldError> errors) {
        Pagination base = callPagination == null ? Pagination.NONE : callPagination;
        Pagination override = null;
        if (node != null && !node.isNull()) {
            if (!(node instanceof ObjectNode object)) {
                errors.add(new FieldError(path, "must be an object, e.g. {\"type\":\"offset\",\"pageSize\":100}"));
                return base.withDefaults();
            }
            int before = errors.size();
            checkKeys(path, object, PAGINATION_KEYS, errors, false);
            if (errors.size() > before) {
                return base.withDefaults();
            }
            try {
                override = mapper.convertValue(object, Pagination.class);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(path, "cannot be read (" + e.getMessage().split("\n")[0]
                        + "); pageSize and maxPages are numbers, the other fields text"));
                return base.withDefaults();
            }
        }
        Pagination merged = base.overriddenBy(override).withDefaults();
        merged.problems().forEach(p -> errors.add(new FieldError(path, p)));
        return merged;
    }

    private DateField dateField(JsonNode dates, String kind, String datesPath, ZoneId instanceZone, List<FieldError> errors) {
        String field = textOrNull(dates.get(kind + "DateField"));
        String format = textOrNull(dates.get(kind + "DateFormat"));
        String tz = textOrNull(dates.get(kind + "DateTimezone"));
        if (field == null || field.isBlank()) {
            if (format != null || tz != null) {
                errors.add(new FieldError(datesPath + "." + kind + "DateField", "required because " + kind
                        + "DateFormat/" + kind + "DateTimezone is set; name the record field holding the " + kind + " date"));
            }
            return null;
        }
        DateTimeFormatter formatter = null;
        if (format != null) {
            try {
                formatter = DatePatterns.compile(format);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(datesPath + "." + kind + "DateFormat", e.getMessage()));
            }
        }
        ZoneId zone = parseZone(tz, datesPath + "." + kind + "DateTimezone", instanceZone, errors);
        return new DateField(field, format, formatter, zone);
    }

    private static ZoneId parseZone(String tz, String path, ZoneId fallback, List<FieldError> errors) {
        if (tz == null || tz.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(tz, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            errors.add(new FieldError(path, "unknown time zone '" + tz + "'; use an id like \"UTC\", \"GMT\", \"Europe/Berlin\" or an offset like \"+02:00\""));
            return fallback;
        }
    }

    private static void checkSignatureScheme(ObjectNode config, List<FieldError> errors) {
        String scheme = textOrNull(config.get(ConfigKeys.SIGNATURE_SCHEME));
        if (scheme == null) {
            return;
        }
        String path = configPath(ConfigKeys.SIGNATURE_SCHEME);
        if (!scheme.equals("elements") && !scheme.equals("standard-webhooks")) {
            errors.add(new FieldError(path, "'" + scheme + "' is not a signature scheme; use \"elements\" (the default) or \"standard-webhooks\""));
            return;
        }
        String key = textOrNull(config.get(ConfigKeys.SIGNATURE_KEY));
        if (scheme.equals("standard-webhooks")) {
            if (key == null || key.isBlank()) {
                errors.add(new FieldError(configPath(ConfigKeys.SIGNATURE_KEY), "required with the standard-webhooks scheme; e.g. a whsec_<base64> secret"));
            } else if (key.startsWith("whsec_")) {
                try {
                    if (java.util.Base64.getDecoder().decode(key.substring(6)).length == 0) {
                        errors.add(new FieldError(configPath(ConfigKeys.SIGNATURE_KEY), "the whsec_ key holds no secret; put Base64 of at least 24 random bytes after whsec_"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(configPath(ConfigKeys.SIGNATURE_KEY), "a whsec_ key must be followed by Base64 ("
                            + e.getMessage() + ")"));
                }
            }
        }
    }

    private static boolean parseEnabled(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.asText().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        errors.add(new FieldError(configPath(ConfigKeys.ENABLED), "'" + text + "' is not a boolean; use true or false"));
        return false;
    }

    private static long parseInterval(JsonNode node, List<FieldError> errors) {
        String path = configPath(ConfigKeys.REFRESH_INTERVAL);
        BigDecimal minutes;
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            minutes = DEFAULT_INTERVAL_MINUTES;
        } else {
            try {
                minutes = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(path, "'" + node.asText() + "' is not a number; give the interval in minutes, e.g. \"15\" or 0.5"));
                return 0;
            }
        }
        if (minutes.signum() <= 0) {
            errors.add(new FieldError(path, "must be a positive number of minutes, got " + minutes.toPlainString()));
            return 0;
        }
        if (minutes.compareTo(MAX_INTERVAL_MINUTES) > 0) {
            errors.add(new FieldError(path, minutes.toPlainString() + " minutes is more than a year; use at most " + MAX_INTERVAL_MINUTES));
            return 0;
        }
        long millis = minutes.multiply(BigDecimal.valueOf(60_000)).longValue();
        if (millis < MIN_INTERVAL_MILLIS) {
            errors.add(new FieldError(path, minutes.toPlainString() + " minutes is shorter than one second; use at least 0.0167"));
        }
        return millis;
    }

    private static void checkHttpUrl(String url, String path, String purpose, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError(path, "required; the http(s) URL " + purpose));
            return;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                errors.add(new FieldError(path, "'" + url + "' is not an http(s) URL; use e.g. https://example.com/events"));
            }
        } catch (Exception e) {
            errors.add(new FieldError(path, "'" + url + "' is not a valid URL (" + e.getMessage() + "); use e.g. https://example.com/events"));
        }
    }

    /** Reports unknown keys that look like a misspelt known key; other unknown keys are kept when allowed. */
    private static void checkKeys(String path, ObjectNode node, Set<String> known, List<FieldError> errors, boolean keepUnknown) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) {
                continue;
            }
            String field = path.isEmpty() ? key : ("configuration".equals(path) ? configPath(key) : path + "." + key);
            // vendor keys are free-form, so only the engine's own event.* namespace is matched loosely there
            boolean fuzzy = !"configuration".equals(path) || key.startsWith("event.");
            var meant = ConfigKeys.likelyMeant(key, known, fuzzy);
            if (meant.isPresent()) {
                errors.add(new FieldError(field, "unknown key '" + key + "'; did you mean `" + meant.get() + "`?"));
            } else if (!keepUnknown && !path.isEmpty()) {
                errors.add(new FieldError(field, "unknown key '" + key + "'; known keys are " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    static String configPath(String key) {
        return "configuration['" + key + "']";
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
