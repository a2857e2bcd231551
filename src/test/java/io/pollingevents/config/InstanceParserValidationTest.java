package io.pollingevents.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.element.Pagination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each validation rule of {@link InstanceParser}: the field path it reports and the fix its message names. */
class InstanceParserValidationTest {
    private static final String CALLBACK = "configuration['event.notification.callback.url']";
    private static final String INTERVAL = "configuration['event.poller.refresh_interval']";
    private static final String POLLER = "configuration['event.poller.configuration']";
    private static final String CANDIDATES = POLLER + ".candidates";

    private final ObjectMapper mapper = new ObjectMapper();
    private final InstanceParser parser = new InstanceParser(mapper, ElementRegistry.load(null));

    private ObjectNode smartRecruiters() throws Exception {
        return (ObjectNode) mapper.readTree(Files.readString(Path.of("examples", "smartrecruiters.json")));
    }

    private ObjectNode maximizer() throws Exception {
        return (ObjectNode) mapper.readTree(Files.readString(Path.of("examples", "maximizer.json")));
    }

    private static ObjectNode config(ObjectNode body) {
        return (ObjectNode) body.get("configuration");
    }

    private static ObjectNode candidates(ObjectNode body) {
        return (ObjectNode) config(body).get(ConfigKeys.POLLER_CONFIGURATION).get("candidates");
    }

    private static ObjectNode dates(ObjectNode body) {
        return (ObjectNode) candidates(body).get("datesConfiguration");
    }

    private List<FieldError> errors(ObjectNode body) {
        InvalidInstanceException e = catchThrowableOfType(InvalidInstanceException.class, () -> parser.parse(body));
        assertThat(e).as("the body is rejected").isNotNull();
        return e.errors();
    }

    /** The only error of the body: its field path and its message. */
    private FieldError onlyError(ObjectNode body) {
        List<FieldError> errors = errors(body);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    private void assertOnlyError(ObjectNode body, String field, String... messageParts) {
        FieldError error = onlyError(body);
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.message()).contains(messageParts);
    }

    // ---- readBody

    @Test
    void readBodyRejectsMissingOrBlankText() {
        for (String text : new String[] {null, "", "  \n"}) {
            assertThatThrownBy(() -> parser.readBody(text))
                    .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.errors())
                            .containsExactly(new FieldError("$", "the request body is empty; send the instance JSON")));
        }
    }

    @Test
    void readBodyNamesLineAndColumnOfMalformedJson() {
        assertThatThrownBy(() -> parser.readBody("{\n  \"name\": \"x\"\n  \"tags\": []\n}"))
                .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> {
                            assertThat(err.field()).isEqualTo("$");
                            assertThat(err.message()).matches("(?s)malformed JSON at line 3, column \\d+: .*")
                                    .contains("missing comma");
                        }));
    }

    @Test
    void readBodyWantsAnObject() {
        assertThatThrownBy(() -> parser.readBody("[1, 2]"))
                .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> assertThat(err.message()).startsWith("the body must be a JSON object")));
    }

    @Test
    void readBodyReturnsTheObject() {
        ObjectNode body = parser.readBody("{\"name\":\"x\"}");
        assertThat(body.get("name").asText()).isEqualTo("x");
    }

    // ---- element, name, tags, providerData, configuration

    @Test
    void elementKeyIsRequired() throws Exception {
        ObjectNode body = smartRecruiters();
        body.remove("element");
        assertOnlyError(body, "element.key", "required", "\"smartrecruiters\"");

        body.putObject("element").put("key", " ");
        assertOnlyError(body, "element.key", "required");
    }

    @Test
    void unknownElementListsKnownOnesAndHowToAddIt() throws Exception {
        ObjectNode body = smartRecruiters();
        body.putObject("element").put("key", "salesforce");

        assertOnlyError(body, "element.key", "unknown element 'salesforce'", "maximizer, smartrecruiters",
                "elements/salesforce.yaml");
    }

    @Test
    void nameIsRequiredAndAtMostAThousandCharacters() throws Exception {
        ObjectNode body = smartRecruiters();
        body.remove("name");
        assertOnlyError(body, "name", "required");

        body.put("name", "   ");
        assertOnlyError(body, "name", "required");

        body.put("name", "n".repeat(1001));
        assertOnlyError(body, "name", "is 1001 characters long", "at most 1000");

        body.put("name", "n".repeat(1000));
        assertThat(parser.parse(body).name()).hasSize(1000);
    }

    @Test
    void tagsMustBeAnArrayOfStrings() throws Exception {
        ObjectNode body = smartRecruiters();
        body.put("tags", "Docs");
        assertOnlyError(body, "tags", "must be an array of strings");

        body.putArray("tags").add("Docs").add(5);
        assertOnlyError(body, "tags", "must hold strings only, got 5");

        body.putArray("tags").add("a").add("b");
        assertThat(parser.parse(body).tags()).containsExactly("a", "b");

        body.putNull("tags");
        assertThat(parser.parse(body).tags()).isEmpty();
    }

    @Test
    void providerDataMustBeAnObject() throws Exception {
        ObjectNode body = smartRecruiters();
        body.put("providerData", "code");
        assertOnlyError(body, "providerData", "must be a JSON object");

        body.putObject("providerData").put("code", "c");
        assertThat(parser.parse(body).body().at("/providerData/code").asText()).isEqualTo("c");
    }

    @Test
    void configurationIsRequiredAndStopsTheCheckThere() throws Exception {
        ObjectNode body = smartRecruiters();
        body.remove("configuration");
        body.remove("name");

        assertThat(errors(body)).extracting(FieldError::field).containsExactly("name", "configuration");

        body.put("name", "x");
        body.put("configuration", "api.key=1");
        assertOnlyError(body, "configuration", "required; a JSON object");
    }

    @Test
    void misspeltTopLevelKeyIsReported() throws Exception {
        ObjectNode body = smartRecruiters();
        body.set("Tags", body.remove("tags"));

        assertOnlyError(body, "Tags", "unknown key 'Tags'; did you mean `tags`?");
    }

    @Test
    void otherTopLevelKeysAreAccepted() throws Exception {
        ObjectNode body = smartRecruiters();
        body.put("description", "d");
        body.put("id", 12);

        assertThat(parser.parse(body).body().get("description").asText()).isEqualTo("d");
    }

    // ---- required keys of the element

    @Test
    void elementRequiredKeysMustBeSet() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).remove("api.key");
        assertOnlyError(body, "configuration['api.key']", "required by element 'smartrecruiters'");

        config(body).put("api.key", " ");
        assertOnlyError(body, "configuration['api.key']", "required by element 'smartrecruiters'");

        config(body).putNull("api.key");
        assertOnlyError(body, "configuration['api.key']", "required by element 'smartrecruiters'");
    }

    @Test
    void elementRequiredProviderDataMustBeSet() throws Exception {
        ObjectNode body = maximizer();
        body.remove("providerData");
        assertOnlyError(body, "providerData.code", "required by element 'maximizer'", "authorization grant code");

        body.putObject("providerData").put("code", "");
        assertOnlyError(body, "providerData.code", "required by element 'maximizer'");

        body.putObject("providerData").putNull("code");
        assertOnlyError(body, "providerData.code", "required by element 'maximizer'");

        body.putObject("providerData").put("code", "c0de");
        assertThat(parser.parse(body).body().at("/providerData/code").asText()).isEqualTo("c0de");
    }

    @Test
    void requiredKeysOfAnotherElementAreNotRequired() throws Exception {
        ObjectNode body = smartRecruiters();
        assertThat(parser.parse(body).config("oauth.api.secret")).isNull();
    }

    // ---- configuration keys

    @Test
    void misspeltEngineKeyGetsASuggestion() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).set("event.notification.enabeld", config(body).remove(ConfigKeys.ENABLED));

        assertOnlyError(body, "configuration['event.notification.enabeld']",
                "unknown key 'event.notification.enabeld'; did you mean `event.notification.enabled`?");
    }

    @Test
    void vendorKeyCloseToAnEngineKeyIsKept() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put("base.urls", "a,b");
        config(body).put("vendor.flag", "x");

        InstanceDefinition def = parser.parse(body);

        assertThat(def.config("base.urls")).isEqualTo("a,b");
        assertThat(def.config("vendor.flag")).isEqualTo("x");
    }

    @Test
    void vendorKeyDifferingFromAKnownKeyOnlyInSeparatorsIsReported() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).set("api_key", config(body).remove("api.key"));

        List<FieldError> errors = errors(body);

        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("configuration['api.key']", "configuration['api_key']");
        assertThat(errors).filteredOn(e -> e.field().equals("configuration['api_key']")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("did you mean `api.key`?"));
    }

    @Test
    void misspeltElementKeyGetsASuggestion() throws Exception {
        ObjectNode body = maximizer();
        config(body).set("oauth_api_secret", config(body).remove("oauth.api.secret"));

        assertThat(errors(body)).extracting(FieldError::message)
                .anySatisfy(m -> assertThat(m).contains("did you mean `oauth.api.secret`?"));
    }

    // ---- enabled, vendor type, timezone

    @Test
    void enabledAcceptsBooleansAndTheirText() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.ENABLED, false);
        assertThat(parser.parse(body).notificationsEnabled()).isFalse();

        config(body).put(ConfigKeys.ENABLED, " FALSE ");
        assertThat(parser.parse(body).notificationsEnabled()).isFalse();

        config(body).put(ConfigKeys.ENABLED, "True");
        assertThat(parser.parse(body).notificationsEnabled()).isTrue();

        config(body).put(ConfigKeys.ENABLED, true);
        assertThat(parser.parse(body).notificationsEnabled()).isTrue();

        config(body).remove(ConfigKeys.ENABLED);
        assertThat(parser.parse(body).notificationsEnabled()).isFalse();

        config(body).putNull(ConfigKeys.ENABLED);
        assertThat(parser.parse(body).notificationsEnabled()).isFalse();
    }

    @Test
    void enabledRejectsOtherText() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.ENABLED, "yes");

        assertOnlyError(body, "configuration['event.notification.enabled']", "'yes' is not a boolean; use true or false");

        config(body).remove(ConfigKeys.CALLBACK_URL);
        assertOnlyError(body, "configuration['event.notification.enabled']", "'yes' is not a boolean");
    }

    @Test
    void vendorTypeMustBePolling() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.VENDOR_TYPE, "webhook");
        assertOnlyError(body, "configuration['event.vendor.type']", "'webhook' is not supported", "\"polling\"");

        config(body).remove(ConfigKeys.VENDOR_TYPE);
        assertThat(parser.parse(body).config(ConfigKeys.VENDOR_TYPE)).isNull();
    }

    @Test
    void timezoneAcceptsIdsShortIdsAndOffsets() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.TIMEZONE, "Europe/Berlin");
        assertThat(parser.parse(body).timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));

        config(body).put(ConfigKeys.TIMEZONE, "+02:00");
        assertThat(parser.parse(body).timezone()).isEqualTo(ZoneOffset.ofHours(2));

        config(body).put(ConfigKeys.TIMEZONE, "EST");
        assertThat(parser.parse(body).timezone()).isEqualTo(ZoneId.of(ZoneId.SHORT_IDS.get("EST")));

        config(body).put(ConfigKeys.TIMEZONE, " ");
        assertThat(parser.parse(body).timezone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void unknownTimezoneIsReported() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.TIMEZONE, "Mars/Olympus");

        assertOnlyError(body, "configuration['event.poller.timezone']", "unknown time zone 'Mars/Olympus'", "Europe/Berlin");
    }

    @Test
    void dateFieldsWithoutZoneTakeTheInstanceZone() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.TIMEZONE, "Europe/Paris");
        dates(body).remove("updatedDateTimezone");

        InstanceDefinition def = parser.parse(body);

        assertThat(def.resource("candidates").updatedDate().zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(def.resource("candidates").createdDate().zone().normalized()).isEqualTo(ZoneOffset.UTC);
    }

    // ---- refresh interval

    @Test
    void refreshIntervalDefaultsToFifteenMinutes() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).remove(ConfigKeys.REFRESH_INTERVAL);
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(900_000L);

        config(body).put(ConfigKeys.REFRESH_INTERVAL, "  ");
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(900_000L);

        config(body).putNull(ConfigKeys.REFRESH_INTERVAL);
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(900_000L);
    }

    @Test
    void refreshIntervalMustBeANumber() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.REFRESH_INTERVAL, "often");

        assertOnlyError(body, INTERVAL, "'often' is not a number", "in minutes");
    }

    @Test
    void refreshIntervalMustBePositive() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.REFRESH_INTERVAL, 0);
        assertOnlyError(body, INTERVAL, "must be a positive number of minutes, got 0");

        config(body).put(ConfigKeys.REFRESH_INTERVAL, "-5");
        assertOnlyError(body, INTERVAL, "must be a positive number of minutes, got -5");
    }

    @Test
    void refreshIntervalIsAtMostAYear() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.REFRESH_INTERVAL, "525600");
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(525_600L * 60_000);

        config(body).put(ConfigKeys.REFRESH_INTERVAL, "525600.5");
        assertOnlyError(body, INTERVAL, "525600.5 minutes is more than a year; use at most 525600");
    }

    @Test
    void refreshIntervalIsAtLeastOneSecond() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.REFRESH_INTERVAL, "0.01666667");
        assertThat(parser.parse(body).refreshIntervalMillis()).isEqualTo(1_000L);

        config(body).put(ConfigKeys.REFRESH_INTERVAL, "0.0166");
        assertOnlyError(body, INTERVAL, "0.0166 minutes is shorter than one second; use at least 0.0167");
    }

    // ---- URLs

    @Test
    void callbackUrlIsRequiredWhenEventsAreEnabled() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).remove(ConfigKeys.CALLBACK_URL);
        assertOnlyError(body, CALLBACK, "required; the http(s) URL where events are POSTed");

        config(body).put(ConfigKeys.CALLBACK_URL, " ");
        assertOnlyError(body, CALLBACK, "required; the http(s) URL where events are POSTed");

        config(body).remove(ConfigKeys.CALLBACK_URL);
        config(body).put(ConfigKeys.ENABLED, false);
        InstanceDefinition def = parser.parse(body);
        assertThat(def.callbackUrl()).isNull();
        assertThat(def.notificationsEnabled()).isFalse();
    }

    @Test
    void callbackUrlIsCheckedEvenWhenEventsAreDisabled() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.ENABLED, false);
        config(body).put(ConfigKeys.CALLBACK_URL, "ftp://example.com/events");

        assertOnlyError(body, CALLBACK, "'ftp://example.com/events' is not an http(s) URL", "https://example.com/events");
    }

    @Test
    void callbackUrlMustBeAnAbsoluteHttpUrlWithAHost() throws Exception {
        ObjectNode body = smartRecruiters();
        for (String bad : List.of("/events", "mailto:someone@example.com", "http:///events")) {
            config(body).put(ConfigKeys.CALLBACK_URL, bad);
            assertOnlyError(body, CALLBACK, "'" + bad + "' is not an http(s) URL");
        }
        config(body).put(ConfigKeys.CALLBACK_URL, "http://exa mple.com/events");
        assertOnlyError(body, CALLBACK, "'http://exa mple.com/events' is not a valid URL (");

        for (String good : List.of("HTTPS://Example.com/events", "http://127.0.0.1:9000/e", "https://example.com")) {
            config(body).put(ConfigKeys.CALLBACK_URL, good);
            assertThat(parser.parse(body).callbackUrl()).isEqualTo(good);
        }
    }

    @Test
    void baseAndTokenUrlsAreCheckedWhenSet() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.BASE_URL, "api.example.com");
        assertOnlyError(body, "configuration['base.url']", "'api.example.com' is not an http(s) URL");

        config(body).put(ConfigKeys.BASE_URL, "https://api.example.com/v2");
        config(body).put(ConfigKeys.OAUTH_TOKEN_URL, "ftp://token");
        assertOnlyError(body, "configuration['oauth.token.url']", "'ftp://token' is not an http(s) URL");

        config(body).putNull(ConfigKeys.OAUTH_TOKEN_URL);
        assertThat(parser.parse(body).config(ConfigKeys.BASE_URL)).isEqualTo("https://api.example.com/v2");
    }

    // ---- signature scheme

    @Test
    void signatureSchemeMustBeKnown() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.SIGNATURE_SCHEME, "hmac");

        assertOnlyError(body, "configuration['event.notification.signature.scheme']", "'hmac' is not a signature scheme",
                "\"elements\"", "\"standard-webhooks\"");
    }

    @Test
    void elementsSchemeNeedsNoKey() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.SIGNATURE_SCHEME, "elements");
        config(body).remove(ConfigKeys.SIGNATURE_KEY);

        InstanceDefinition def = parser.parse(body);

        assertThat(def.signatureKey()).isNull();
    }

    @Test
    void standardWebhooksSchemeNeedsAKey() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.SIGNATURE_SCHEME, "standard-webhooks");
        config(body).remove(ConfigKeys.SIGNATURE_KEY);
        assertOnlyError(body, "configuration['event.notification.signature.key']", "required with the standard-webhooks scheme");

        config(body).put(ConfigKeys.SIGNATURE_KEY, "  ");
        assertOnlyError(body, "configuration['event.notification.signature.key']", "required with the standard-webhooks scheme");
    }

    @Test
    void standardWebhooksWhsecKeyMustHoldBase64() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.SIGNATURE_SCHEME, "standard-webhooks");
        config(body).put(ConfigKeys.SIGNATURE_KEY, "whsec_");
        assertOnlyError(body, "configuration['event.notification.signature.key']", "the whsec_ key holds no secret");

        config(body).put(ConfigKeys.SIGNATURE_KEY, "whsec_not*base64");
        assertOnlyError(body, "configuration['event.notification.signature.key']", "a whsec_ key must be followed by Base64 (");

        String key = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
        config(body).put(ConfigKeys.SIGNATURE_KEY, key);
        assertThat(parser.parse(body).signatureKey()).isEqualTo(key);

        config(body).put(ConfigKeys.SIGNATURE_KEY, "plain-secret");
        assertThat(parser.parse(body).signatureKey()).isEqualTo("plain-secret");
    }

    @Test
    void whsecKeysAreNotCheckedForTheElementsScheme() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.SIGNATURE_KEY, "whsec_");

        assertThat(parser.parse(body).signatureKey()).isEqualTo("whsec_");

        config(body).put(ConfigKeys.SIGNATURE_SCHEME, "elements");
        assertThat(parser.parse(body).signatureKey()).isEqualTo("whsec_");
    }

    // ---- poller configuration and resources

    @Test
    void pollerConfigurationIsRequiredWhenEventsAreEnabled() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).remove(ConfigKeys.POLLER_CONFIGURATION);
        assertOnlyError(body, POLLER, "required when events are enabled", "at least one resource");

        config(body).put(ConfigKeys.ENABLED, false);
        assertThat(parser.parse(body).resources()).isEmpty();

        config(body).putNull(ConfigKeys.POLLER_CONFIGURATION);
        assertThat(parser.parse(body).resources()).isEmpty();
    }

    @Test
    void pollerConfigurationMustBeANonEmptyObject() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).putArray(ConfigKeys.POLLER_CONFIGURATION);
        assertOnlyError(body, POLLER, "must be a JSON object with one entry per resource");

        config(body).putObject(ConfigKeys.POLLER_CONFIGURATION);
        assertOnlyError(body, POLLER, "must be a JSON object with one entry per resource");

        config(body).put(ConfigKeys.ENABLED, false);
        assertThat(parser.parse(body).resources()).isEmpty();
    }

    @Test
    void pollerConfigurationStringMustBeJson() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.POLLER_CONFIGURATION, "{\"candidates\": {");

        assertOnlyError(body, POLLER, "is a string but not valid JSON (", "correctly escaped JSON string");
    }

    @Test
    void resourceNamesAreRestricted() throws Exception {
        ObjectNode body = smartRecruiters();
        ObjectNode poller = (ObjectNode) config(body).get(ConfigKeys.POLLER_CONFIGURATION);
        poller.set("bad name!", candidates(body).deepCopy());
        assertOnlyError(body, POLLER + ".bad name!", "letters, digits, '_', '.' and '-' only, at most 100");

        poller.remove("bad name!");
        poller.set("x".repeat(101), candidates(body).deepCopy());
        assertOnlyError(body, POLLER + "." + "x".repeat(101), "at most 100");

        poller.remove("x".repeat(101));
        poller.set("v2.job_ads-1", candidates(body).deepCopy());
        assertThat(parser.parse(body).resources()).extracting(ResourceConfig::name).containsExactly("candidates", "v2.job_ads-1");
    }

    @Test
    void resourceMustBeAnObject() throws Exception {
        ObjectNode body = smartRecruiters();
        ((ObjectNode) config(body).get(ConfigKeys.POLLER_CONFIGURATION)).put("candidates", "/hubs/x");

        assertOnlyError(body, CANDIDATES, "must be an object with 'url' and 'idField'");
    }

    @Test
    void resourceNeedsUrlAndIdField() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).remove("url");
        candidates(body).put("idField", " ");

        List<FieldError> errors = errors(body);

        assertThat(errors).extracting(FieldError::field).containsExactly(CANDIDATES + ".url", CANDIDATES + ".idField");
        assertThat(errors.get(0).message()).startsWith("required; the hub URL to poll");
        assertThat(errors.get(1).message()).startsWith("required; the record field that identifies an object");
    }

    @Test
    void resourceUrlPlaceholdersAreChecked() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).put("url", "/hubs/humancapital/candidates?since=${when:yyyy}");

        assertOnlyError(body, CANDIDATES + ".url", "unknown placeholder '${when:yyyy}'");
    }

    @Test
    void misspeltResourceKeyGetsASuggestionAndOtherKeysAreKept() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).set("datesConfigration", candidates(body).remove("datesConfiguration"));
        assertOnlyError(body, CANDIDATES + ".datesConfigration", "did you mean `datesConfiguration`?");

        candidates(body).set("datesConfiguration", candidates(body).remove("datesConfigration"));
        candidates(body).put("comment", "ours");
        assertThat(parser.parse(body).resource("candidates").idField()).isEqualTo("id");
    }

    @Test
    void datesConfigurationMustBeAnObject() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).put("datesConfiguration", "updatedOn");

        assertOnlyError(body, CANDIDATES + ".datesConfiguration", "must be a JSON object");
    }

    @Test
    void datesConfigurationRejectsUnknownKeys() throws Exception {
        ObjectNode body = smartRecruiters();
        dates(body).put("deletedDateField", "deletedOn");
        FieldError error = onlyError(body);
        assertThat(error.field()).isEqualTo(CANDIDATES + ".datesConfiguration.deletedDateField");
        assertThat(error.message()).startsWith("unknown key 'deletedDateField'; known keys are createdDateField, ");

        dates(body).remove("deletedDateField");
        dates(body).set("updatedDateFeild", dates(body).remove("updatedDateField"));
        assertThat(errors(body)).extracting(FieldError::message)
                .anySatisfy(m -> assertThat(m).contains("did you mean `updatedDateField`?"));
    }

    @Test
    void dateFormatOrZoneWithoutFieldIsReported() throws Exception {
        ObjectNode body = smartRecruiters();
        dates(body).remove("createdDateField");

        assertOnlyError(body, CANDIDATES + ".datesConfiguration.createdDateField",
                "required because createdDateFormat/createdDateTimezone is set", "created date");

        dates(body).remove("createdDateFormat");
        dates(body).remove("createdDateTimezone");
        assertThat(parser.parse(body).resource("candidates").createdDate()).isNull();
    }

    @Test
    void dateFormatAndZoneAreChecked() throws Exception {
        ObjectNode body = smartRecruiters();
        dates(body).put("updatedDateFormat", "HH:mm");
        dates(body).put("createdDateTimezone", "Nowhere/Land");

        List<FieldError> errors = errors(body);

        assertThat(errors).extracting(FieldError::field).containsExactly(
                CANDIDATES + ".datesConfiguration.updatedDateFormat", CANDIDATES + ".datesConfiguration.createdDateTimezone");
        assertThat(errors.get(0).message()).contains("'HH:mm'");
        assertThat(errors.get(1).message()).contains("unknown time zone 'Nowhere/Land'");
    }

    @Test
    void dateFieldWithoutFormatKeepsNoPattern() throws Exception {
        ObjectNode body = smartRecruiters();
        dates(body).remove("updatedDateFormat");

        ResourceConfig resource = parser.parse(body).resource("candidates");

        assertThat(resource.updatedDate().name()).isEqualTo("updatedOn");
        assertThat(resource.updatedDate().pattern()).isNull();
        assertThat(resource.updatedDate().formatter()).isNull();
        assertThat(resource.createdDate().pattern()).isEqualTo("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    }

    @Test
    void resourceWithoutDatesHasNone() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).remove("datesConfiguration");
        assertThat(parser.parse(body).resource("candidates").hasNoDates()).isTrue();

        candidates(body).putNull("datesConfiguration");
        assertThat(parser.parse(body).resource("candidates").hasNoDates()).isTrue();
    }

    // ---- pagination

    @Test
    void resourceWithoutPaginationPagesAsItsElementDeclares() throws Exception {
        Pagination pagination = parser.parse(smartRecruiters()).resource("candidates").pagination();

        assertThat(pagination).isEqualTo(new Pagination("cursor", 100, "limit", null, "pageId", "/nextPageId", null, 1000, null, null));
    }

    @Test
    void elementWithoutPaginationDoesNotPage() throws Exception {
        ObjectNode body = smartRecruiters();
        body.putObject("element").put("key", "http");
        config(body).remove("api.key");
        candidates(body).put("url", "https://api.example.com/candidates");

        Pagination pagination = parser.parse(body).resource("candidates").pagination();

        assertThat(pagination.type()).isEqualTo("none");
        assertThat(pagination.paged()).isFalse();
        assertThat(pagination.maxPages()).isEqualTo(1);
    }

    @Test
    void paginationOverrideIsMergedWithTheTypeDefaults() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).putObject("pagination").put("type", "offset").put("pageSize", 50);

        Pagination pagination = parser.parse(body).resource("candidates").pagination();

        assertThat(pagination).isEqualTo(new Pagination("offset", 50, "limit", "offset", null, null, null, 1000, null, null));
    }

    @Test
    void paginationMustBeAnObjectWithKnownKeys() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).put("pagination", "offset");
        assertOnlyError(body, CANDIDATES + ".pagination", "must be an object", "\"offset\"");

        candidates(body).putObject("pagination").put("type", "offset").put("size", 10);
        assertOnlyError(body, CANDIDATES + ".pagination.size", "unknown key 'size'; known keys are ", "pageSize");

        candidates(body).putObject("pagination").put("type", "offset").put("pageSise", 10);
        assertOnlyError(body, CANDIDATES + ".pagination.pageSise", "did you mean `pageSize`?");
    }

    @Test
    void paginationThatCannotBeReadIsReported() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).putObject("pagination").put("type", "offset").put("pageSize", "many");

        assertOnlyError(body, CANDIDATES + ".pagination", "cannot be read (", "pageSize and maxPages are numbers");
    }

    @Test
    void paginationProblemsAreReported() throws Exception {
        ObjectNode body = smartRecruiters();
        candidates(body).putObject("pagination").put("type", "pages");
        assertOnlyError(body, CANDIDATES + ".pagination", "type 'pages' is unknown");

        candidates(body).putObject("pagination").put("type", "cursor").put("cursorPath", "nextPageId");
        assertOnlyError(body, CANDIDATES + ".pagination", "cursorPath is required for type 'cursor'");
    }

    @Test
    void paginationOverrideStartsFromTheElementsPagination(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("paged.yaml"), """
                key: paged
                name: Paged
                hub: crm
                baseUrl: https://hub.example.com
                pagination:
                  type: openconnectors
                  pageSize: 300
                """);
        InstanceParser pagedParser = new InstanceParser(mapper, ElementRegistry.load(dir));
        ObjectNode body = smartRecruiters();
        body.putObject("element").put("key", "paged");
        config(body).remove("api.key");

        assertThat(pagedParser.parse(body).resource("candidates").pagination())
                .isEqualTo(new Pagination("openconnectors", 300, "pageSize", null, "nextPage", null,
                        "elements-next-page-token", 1000, null, null));

        candidates(body).putObject("pagination").put("maxPages", 5);
        assertThat(pagedParser.parse(body).resource("candidates").pagination())
                .isEqualTo(new Pagination("openconnectors", 300, "pageSize", null, "nextPage", null,
                        "elements-next-page-token", 5, null, null));
    }

    @Test
    void resourcesOfAnUnknownElementAreStillChecked() throws Exception {
        ObjectNode body = smartRecruiters();
        body.putObject("element").put("key", "nope");
        candidates(body).remove("idField");

        assertThat(errors(body)).extracting(FieldError::field).containsExactly("element.key", CANDIDATES + ".idField");
    }

    // ---- everything at once

    @Test
    void everyProblemIsReportedInOneException() throws Exception {
        ObjectNode body = smartRecruiters();
        body.remove("name");
        config(body).put(ConfigKeys.VENDOR_TYPE, "push");
        config(body).put(ConfigKeys.REFRESH_INTERVAL, "x");

        InvalidInstanceException e = catchThrowableOfType(InvalidInstanceException.class, () -> parser.parse(body));

        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("name", "configuration['event.vendor.type']", INTERVAL);
        assertThat(e.getMessage()).startsWith("name: required").contains("; configuration['event.vendor.type']: 'push'");
    }

    @Test
    void definitionCarriesTheParsedValuesAndNoIdentity() throws Exception {
        ObjectNode body = smartRecruiters();
        config(body).put(ConfigKeys.REFRESH_INTERVAL, 1);

        InstanceDefinition def = parser.parse(body);

        assertThat(def.id()).isZero();
        assertThat(def.token()).isNull();
        assertThat(def.createdAt()).isNull();
        assertThat(def.refreshIntervalMillis()).isEqualTo(60_000L);
        assertThat(def.body()).isEqualTo(body).isNotSameAs(body);
    }
}
