package io.pollingevents.format;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlTemplateTest {
    private static final Instant WATERMARK = Instant.parse("2024-11-27T12:00:05.250Z");
    private static final String BASE = "https://hub.example.com/elements/api-v2";

    private static String query(String url) {
        return url.substring(url.indexOf('?') + 1);
    }

    private static String decodedParam(String url, String name) {
        for (String param : query(url).split("&")) {
            int eq = param.indexOf('=');
            if (URLDecoder.decode(param.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no parameter " + name + " in " + url);
    }

    @Test
    void acceptsTheOpenConnectorsExampleTemplates() {
        assertThat(UrlTemplate.problems("/hubs/crm/contacts?where=LastModifyDate>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}'")).isEmpty();
        assertThat(UrlTemplate.problems("/hubs/humancapital/candidates?where=updatedAfter='${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}'")).isEmpty();
        assertThat(UrlTemplate.problems("/hubs/crm/x?since=${epoch:s}&sinceMs=${epoch:ms}")).isEmpty();
    }

    @Test
    void reportsUnknownPlaceholderByName() {
        assertThat(UrlTemplate.problems("/hubs/crm/contacts?where=x>'${today:yyyy}'"))
                .singleElement().asString().contains("unknown placeholder '${today:yyyy}'");
    }

    @Test
    void reportsInvalidDatePattern() {
        assertThat(UrlTemplate.problems("/x?d=${date:yyyy-MM-dd'T}"))
                .singleElement().asString().contains("${date:yyyy-MM-dd'T}").contains("not a valid Java date pattern");
    }

    @Test
    void reportsDatePatternWithoutFullDate() {
        assertThat(UrlTemplate.problems("/x?d=${gmtDate:HH:mm}"))
                .singleElement().asString().contains("does not name a full date");
    }

    @Test
    void reportsDatePlaceholderWithoutPattern() {
        assertThat(UrlTemplate.problems("/x?d=${date}")).singleElement().asString().contains("needs a date pattern");
    }

    @Test
    void reportsEpochWithUnsupportedUnit() {
        assertThat(UrlTemplate.problems("/x?d=${epoch:minutes}")).singleElement().asString().contains("${epoch:s}");
    }

    @Test
    void reportsUnclosedPlaceholder() {
        assertThat(UrlTemplate.problems("/x?d=${date:yyyy-MM-dd"))
                .singleElement().asString().startsWith("unclosed placeholder");
    }

    @Test
    void reportsUnclosedPlaceholderBeforeAValidOne() {
        assertThat(UrlTemplate.problems("/x?a=${epoch:s&b=${epoch:ms}")).isNotEmpty();
    }

    @Test
    void encodesOffsetPlusSoHubReceivesExactValue() {
        String url = UrlTemplate.render("/hubs/crm/contacts?where=LastModifyDate>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}'",
                BASE, WATERMARK, ZoneOffset.ofHours(1));

        assertThat(query(url)).isEqualTo("where=LastModifyDate%3E%272024-11-27T13%3A00%3A05%2B01%3A00%27");
        assertThat(decodedParam(url, "where")).isEqualTo("LastModifyDate>'2024-11-27T13:00:05+01:00'");
    }

    @Test
    void encodesSpacesQuotesAndEqualsInsideTheValue() {
        String url = UrlTemplate.render("/hubs/crm/contacts?where=modified >= '${gmtDate:yyyy-MM-dd HH:mm}' and x=\"y\"",
                BASE, WATERMARK, ZoneOffset.UTC);

        assertThat(query(url)).doesNotContain(" ", "'", "\"", "+").startsWith("where=modified%20%3E%3D%20%27");
        assertThat(decodedParam(url, "where")).isEqualTo("modified >= '2024-11-27 12:00' and x=\"y\"");
        assertThat(URI.create(url).getHost()).isEqualTo("hub.example.com");
    }

    @Test
    void keepsParametersSeparateAndRendersEpochs() {
        String url = UrlTemplate.render("/hubs/crm/x?since=${epoch:s}&sinceMs=${epoch:ms}&pageSize=200", BASE, WATERMARK, ZoneOffset.UTC);

        assertThat(query(url)).isEqualTo("since=1732708805&sinceMs=1732708805250&pageSize=200");
    }

    @Test
    void doesNotDoubleEncodeEscapesTypedIntoTheTemplate() {
        String url = UrlTemplate.render("/x?where=a%20b+c", BASE, WATERMARK, ZoneOffset.UTC);

        assertThat(query(url)).isEqualTo("where=a%20b%2Bc");
        assertThat(decodedParam(url, "where")).isEqualTo("a b+c");
    }

    @Test
    void templateThatPassesValidationRendersItsPlaceholderEvenWithQuotedAmpersandInPattern() {
        String template = "/x?at=${gmtDate:yyyy-MM-dd'&'HH}";
        assertThat(UrlTemplate.problems(template)).isEmpty();

        String url = UrlTemplate.render(template, BASE, WATERMARK, ZoneOffset.UTC);

        assertThat(decodedParam(url, "at")).isEqualTo("2024-11-27&12");
    }

    @Test
    void dateUsesTheGivenZoneAndGmtDateAlwaysUtc() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        String url = UrlTemplate.render("/x?local=${date:yyyy-MM-dd'T'HH:mm:ss}&gmt=${gmtDate:yyyy-MM-dd'T'HH:mm:ss}",
                BASE, WATERMARK, berlin);

        assertThat(decodedParam(url, "local")).isEqualTo("2024-11-27T13:00:05");
        assertThat(decodedParam(url, "gmt")).isEqualTo("2024-11-27T12:00:05");
    }

    @Test
    void joinsRelativeUrlToBaseUrlWithExactlyOneSlash() {
        assertThat(UrlTemplate.render("/hubs/crm/contacts", BASE + "/", WATERMARK, ZoneOffset.UTC))
                .isEqualTo(BASE + "/hubs/crm/contacts");
        assertThat(UrlTemplate.render("hubs/crm/contacts", BASE, WATERMARK, ZoneOffset.UTC))
                .isEqualTo(BASE + "/hubs/crm/contacts");
    }

    @Test
    void keepsAbsoluteUrlAndIgnoresBase() {
        assertThat(UrlTemplate.render("https://other.example/hubs/crm/contacts?s=${epoch:s}", BASE, WATERMARK, ZoneOffset.UTC))
                .isEqualTo("https://other.example/hubs/crm/contacts?s=1732708805");
    }

    @Test
    void rejectsRelativeUrlWithoutBaseUrl() {
        assertThatThrownBy(() -> UrlTemplate.render("/hubs/crm/contacts", null, WATERMARK, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base.url");
    }
}
