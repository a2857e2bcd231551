package io.pollingevents.element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped descriptors translate the seed bodies' hub paths into the vendors' own calls. */
class HubAdapterTest {
    private static final ElementRegistry ELEMENTS = ElementRegistry.load(null);
    private static final ElementDescriptor SMART = ELEMENTS.find("smartrecruiters").orElseThrow();
    private static final ElementDescriptor MAXIMIZER = ELEMENTS.find("maximizer").orElseThrow();

    @Test
    void smartRecruitersCandidatesBecomeItsCandidatesListWithUpdatedAfter() {
        VendorCall call = HubAdapter.resolve(SMART,
                "/hubs/humancapital/candidates?where=updatedAfter='${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}'", List.of(), List.of("id"));

        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.url()).isEqualTo("/candidates?updatedAfter=${gmtDate:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}");
        assertThat(call.records()).isEqualTo("/content");
        assertThat(call.maxInFlight()).isEqualTo(1);
        assertThat(call.pagination().withDefaults().cursorParam()).isEqualTo("pageId");
        assertThat(call.describe()).isEqualTo("GET /candidates");
    }

    @Test
    void otherQueryParametersGoToTheVendorAndLiteralsAreEscaped() {
        VendorCall call = HubAdapter.resolve(SMART, "/hubs/humancapital/jobs?where=updatedOn>'a%26b'&status=OPEN", List.of(), List.of());

        assertThat(call.url()).isEqualTo("/jobs?updatedAfter=a%26b&status=OPEN");
        assertThat(call.maxInFlight()).isNull();
    }

    @Test
    void maximizerContactsBecomeAReadWithCriteriaScopeAndOrder() {
        VendorCall call = HubAdapter.resolve(MAXIMIZER, "/hubs/crm/contacts?where=LastModifyDate>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}'",
                List.of(), List.of("Key", "LastModifyDate"));

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.url()).isEqualTo("/Read");
        JsonNode entry = call.body().path("AbEntry");
        assertThat(entry.at("/Criteria/SearchQuery/$AND").toString())
                .isEqualTo("[{\"Type\":{\"$EQ\":\"Contact\"}},{\"LastModifyDate\":{\"$GT\":\"${date:yyyy-MM-dd'T'HH:mm:ssXXX}\"}}]");
        assertThat(entry.at("/Scope/Fields").fieldNames()).toIterable()
                .containsExactly("Key", "Type", "FirstName", "LastName", "CompanyName", "Email", "Phone", "LastModifyDate", "CreationDate");
        assertThat(call.records()).isEqualTo("/AbEntry/Data");
        assertThat(call.sortedByChangeDate()).isTrue();
    }

    @Test
    void aResourcesOwnFieldsReplaceTheDefaultScopeButKeepTheFieldsTheEngineReads() {
        VendorCall call = HubAdapter.resolve(MAXIMIZER, "/hubs/crm/companies", List.of("CompanyName", "City"),
                List.of("Key", "LastModifyDate"));

        assertThat(call.body().at("/AbEntry/Scope/Fields").fieldNames()).toIterable()
                .containsExactly("CompanyName", "City", "Key", "LastModifyDate");
        assertThat(call.body().at("/AbEntry/Criteria/SearchQuery/$AND").toString()).isEqualTo("[{\"Type\":{\"$EQ\":\"Company\"}}]");
        // the template itself is not changed by a translation
        assertThat(MAXIMIZER.resources().get("companies").body().at("/AbEntry/Scope/Fields").size()).isZero();
    }

    @Test
    void whatCannotBeTranslatedSaysWhatTheElementSupports() {
        assertThatThrownBy(() -> HubAdapter.resolve(SMART, "/hubs/humancapital/candidates?where=status='NEW'", List.of(), List.of()))
                .hasMessageContaining("where clause status='NEW' cannot be translated for element 'smartrecruiters' resource 'candidates'")
                .hasMessageContaining("updatedAfter = or > or >= (query parameter updatedAfter)");
        assertThatThrownBy(() -> HubAdapter.resolve(SMART, "/hubs/humancapital/candidates?where=updatedOn<'2024'", List.of(), List.of()))
                .hasMessageContaining("cannot be translated");
        assertThatThrownBy(() -> HubAdapter.resolve(SMART, "/hubs/humancapital/offers", List.of(), List.of()))
                .hasMessageContaining("has no hub resource 'offers'").hasMessageContaining("/hubs/humancapital/candidates, /hubs/humancapital/jobs");
        assertThatThrownBy(() -> HubAdapter.resolve(SMART, "/hubs/crm/contacts", List.of(), List.of()))
                .hasMessageContaining("serves hub 'humancapital'");
        assertThatThrownBy(() -> HubAdapter.resolve(MAXIMIZER, "/hubs/crm/contacts?pageSize=5", List.of(), List.of()))
                .hasMessageContaining("query parameter 'pageSize' has no meaning").hasMessageContaining("POST /Read");
    }

    @Test
    void absoluteUrlsAndVendorPathsAreCalledAsWritten() {
        assertThat(HubAdapter.resolve(SMART, "https://other.example/x?a=1", List.of(), List.of()).url()).isEqualTo("https://other.example/x?a=1");
        assertThat(HubAdapter.resolve(SMART, "/v1/candidates?updatedAfter=${epoch:s}", List.of(), List.of()).url())
                .isEqualTo("/v1/candidates?updatedAfter=${epoch:s}");
    }

    @Test
    void openConnectorsModeKeepsTheHubPathAndUsesItsPaging() {
        ElementDescriptor viaOc = ELEMENTS.find("smartrecruiters", ElementRegistry.OPEN_CONNECTORS_MODE).orElseThrow();
        VendorCall call = HubAdapter.resolve(viaOc, "/hubs/humancapital/candidates?where=status='NEW'", List.of(), List.of());

        assertThat(call.url()).isEqualTo("/hubs/humancapital/candidates?where=status='NEW'");
        assertThat(call.pagination().type()).isEqualTo("openconnectors");
        assertThat(viaOc.baseUrl()).isEqualTo(ElementDescriptor.OPEN_CONNECTORS_URL);
        assertThat(viaOc.requiredKeys()).containsExactlyElementsOf(ElementDescriptor.OPEN_CONNECTORS_KEYS);
        assertThat(viaOc.requiredProviderData()).isEmpty();
    }

    @Test
    void badDescriptorsAreRefusedWithTheFix() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        ElementDescriptor bad = yaml.readValue("""
                key: bad
                hub: crm
                resources:
                  contacts:
                    method: POST
                    path: Read
                    where:
                      - {field: x, ops: ["~"], param: x, appendTo: /y}
                """, ElementDescriptor.class);

        assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("path is required and starts with '/'"))
                .anySatisfy(p -> assertThat(p).contains("a POST needs a JSON object 'body' template"))
                .anySatisfy(p -> assertThat(p).contains("exactly one of 'param'"))
                .anySatisfy(p -> assertThat(p).contains("operator '~' is not CEQL"));
    }
}
