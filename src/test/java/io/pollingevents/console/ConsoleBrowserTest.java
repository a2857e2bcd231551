package io.pollingevents.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.Browser;
import io.pollingevents.support.Receiver;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real Chromium, as an operator uses it: sign in, create an instance from a bad body and then a fixed
 * one, watch an event get delivered, replay a dead letter, change the interval. Hub and receivers are WireMock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    /** SmartRecruiters' own API, as elements/smartrecruiters.yaml calls it: GET /candidates, records under "content". */
    static final String HUB_PATH = "/candidates";
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    RunningEngine engine;
    Browser browser;
    ConsolePage console;
    Path data;

    @RegisterExtension
    final TestWatcher evidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.keepEvidence(context.getDisplayName().replaceAll("\\W", ""));
            }
        }
    };

    @BeforeAll
    void start() throws Exception {
        browser = Browser.start(1280, 900);
        hub.start();
        hub.stubFor(post("/callback").willReturn(aResponse().withStatus(200)));
        hub.stubFor(post("/broken").willReturn(aResponse().withStatus(500).withBody("receiver down")));
        data = Files.createTempDirectory("pe-console");
        engine = RunningEngine.start(data, Map.of());
        console = new ConsolePage(browser.driver(), ConsolePage.consoleUrl(engine));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (engine != null) {
            engine.close();
        }
        hub.stop();
    }

    @BeforeEach
    void signedOutTab() {
        console.open("#/instances");
        browser.driver().executeScript("sessionStorage.clear()");
    }

    static String candidate(String id, Instant created, Instant updated) {
        return "{\"id\":\"" + id + "\",\"firstName\":\"F" + id + "\",\"createdOn\":\"" + SR.format(created)
                + "\",\"updatedOn\":\"" + SR.format(updated) + "\"}";
    }

    String body(String apiKey, String name, String interval, String callbackPath) throws Exception {
        ObjectNode body = Seeds.json(Seeds.example("smartrecruiters", Map.of("api.key", apiKey, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + callbackPath, "event.poller.refresh_interval", interval)));
        body.put("name", name);
        return body.toString();
    }

    long created(String body) throws Exception {
        var response = engine.post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Seeds.id(response.body());
    }

    void hubReturnsFor(String apiKey, String... records) {
        hub.stubFor(get(urlPathEqualTo(HUB_PATH)).withHeader("X-SmartToken", equalTo(apiKey))
                .willReturn(okJson("{\"content\":[" + String.join(",", records) + "]}")));
    }

    WebElement eventRow(String objectId, String status) {
        return console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//tr[td/code[normalize-space()='" + objectId + "']][.//span[contains(@class,'badge') and normalize-space()='" + status + "']]")));
    }

    @Test
    void signInWithTheApiSecretsShowsTheEngineAndNeverTheSecrets() {
        console.open("#/instances");
        console.fill("User secret", "test-user");
        console.fill("Organization secret", "wrong");
        console.click("Sign in");
        assertThat(console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error"))).getText())
                .contains("Those secrets were refused");

        console.signIn();
        console.waitFor(ExpectedConditions.textToBe(By.id("engine-health"), "UP"));
        assertThat(browser.driver().findElement(By.id("engine-version")).getText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(browser.driver().findElement(By.id("engine-node")).getText()).isNotBlank();
        assertThat(browser.driver().getPageSource()).doesNotContain("test-org").doesNotContain("test-user");
    }

    @Test
    void theKeyboardAloneSignsInAndReachesThePagesWhoseControlsAllHaveVisibleLabels() throws Exception {
        long id = created(body("keyboard-key", "Keyboard", "15", "/callback"));
        console.open("#/instances");
        console.field("User secret");
        browser.driver().switchTo().activeElement().sendKeys(ConsolePage.USER, Keys.TAB, ConsolePage.ORGANIZATION, Keys.ENTER);
        console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[normalize-space()='Instances']")));
        assertThat(unlabelledControls()).isEmpty();

        for (int i = 0; i < 30 && !"Create instance".equals(browser.driver().switchTo().activeElement().getText()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        console.waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Create an instance"));
        assertThat(unlabelledControls()).isEmpty();

        for (String page : new String[] {"#/instances/" + id, "#/instances/" + id + "/events", "#/instances/" + id + "/edit"}) {
            console.open(page);
            console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main label")));
            assertThat(unlabelledControls()).as(page).isEmpty();
        }
    }

    /** Ids of the form controls in the page's main part without a visible label, and buttons without text. */
    @SuppressWarnings("unchecked")
    java.util.List<String> unlabelledControls() {
        return (java.util.List<String>) browser.driver().executeScript(
                "return [...document.querySelectorAll('main input, main select, main textarea, main button')].filter(c => {"
                        + " if (c.tagName === 'BUTTON') return !c.textContent.trim();"
                        + " const label = c.id && document.querySelector('label[for=\"' + c.id + '\"]');"
                        + " return !label || !label.textContent.trim() || label.offsetParent === null;"
                        + "}).map(c => c.id || c.outerHTML.slice(0, 60));");
    }

    @Test
    void aBadBodyShowsTheParserErrorAtItsFieldAndTheFixedBodyIsCreated() throws Exception {
        console.signIn();
        console.follow("Create instance");
        String bad = body("created-in-console", "Typo instance", "15", "/callback").replace("event.poller.refresh_interval", "event.poller.refresh interval");
        console.fill("Instance JSON", bad);
        console.click("Create");

        WebElement errors = console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("instance-json-errors")));
        assertThat(errors.getText()).contains("configuration['event.poller.refresh interval']")
                .contains("did you mean `event.poller.refresh_interval`?").containsPattern("\\(line \\d+\\)");
        assertThat(console.field("Instance JSON").getAttribute("aria-invalid")).isEqualTo("true");

        console.fill("Instance JSON", bad.replace("event.poller.refresh interval", "event.poller.refresh_interval"));
        console.click("Create");
        console.waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Typo instance"));
        assertThat(browser.driver().getCurrentUrl()).matches(".*#/instances/\\d+$");
    }

    @Test
    void theFormBuildsTheJsonWithSecretsMaskedAndShowsAnErrorNextToItsField() {
        hubReturnsFor("typed-in-form");
        console.signIn();
        console.open("#/create");
        console.fill("Element", "SmartRecruiters (smartrecruiters)");
        console.fill("Name", "Built with the form");
        console.fill("api.key", "typed-in-form");
        console.fill("Hub base URL (optional)", hub.baseUrl());
        console.fill("Callback URL", hub.baseUrl() + "/callback");
        console.fill("Refresh interval (minutes)", "often");
        console.click("Build JSON");
        assertThat(console.field("Instance JSON").getAttribute("value")).contains("\"api.key\": \"********\"").doesNotContain("typed-in-form");
        console.click("Create");
        console.waitFor(d -> !console.errorNextTo("Refresh interval (minutes)").isEmpty());
        assertThat(console.errorNextTo("Refresh interval (minutes)")).contains("'often' is not a number");

        console.fill("Refresh interval (minutes)", "15");
        console.click("Build JSON");
        console.click("Preview the first resource");
        WebElement preview = console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-result")));
        assertThat(preview.getText()).contains("Preview of candidates").contains("0 events would be emitted");
        assertThat(hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH)).withHeader("X-SmartToken", equalTo("typed-in-form"))))
                .as("the preview sent the key typed into the form, not the mask").isNotEmpty();
        console.click("Create");
        console.waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Built with the form"));
        console.waitFor(d -> !hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH)).withHeader("X-SmartToken", equalTo("typed-in-form"))).isEmpty());
    }

    @Test
    void aDeliveredEventShowsInTheEventLogWithItsNotification() throws Exception {
        Instant later = Instant.now().plusSeconds(30);
        hubReturnsFor("delivered-key", candidate("cand-7", later, later));
        long id = created(body("delivered-key", "Delivers", "0.02", "/callback"));
        console.signIn();
        console.open("#/instances/" + id + "/events");

        WebElement row = eventRow("cand-7", "delivered");
        assertThat(row.getText()).contains("CREATED").contains("candidates");
        row.findElement(By.xpath(".//summary[normalize-space()='Show notification']")).click();
        WebElement notification = console.waitFor(d -> {
            WebElement pre = eventRow("cand-7", "delivered").findElement(By.cssSelector("pre.json"));
            return pre.getText().contains("\"objectId\" : \"cand-7\"") || pre.getText().contains("\"objectId\": \"cand-7\"") ? pre : null;
        });
        assertThat(notification.getText()).contains("\"instanceName\": \"Delivers\"");
        assertThat(Receiver.events(hub, "/callback")).anyMatch(e -> e.path("objectId").asText().equals("cand-7"));
    }

    @Test
    void theInstancePageChartsItsActivityUnderTheContentSecurityPolicy() throws Exception {
        Instant later = Instant.now().plusSeconds(30);
        hubReturnsFor("chart-key", candidate("cand-c1", later, later), candidate("cand-c2", later, later));
        long id = created(body("chart-key", "Charted", "0.02", "/callback"));
        console.signIn();
        browser.driver().manage().logs().get("browser"); // what earlier tests logged is not this test's
        console.open("#/instances/" + id);
        console.waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".chart .uplot canvas"), 2));
        console.waitFor(d -> d.findElement(By.cssSelector(".chart figcaption")).getText().contains("2 events found and 2 delivered"));

        assertThat(browser.driver().manage().logs().get("browser").getAll())
                .noneMatch(entry -> entry.getMessage().contains("Content Security Policy") || entry.getMessage().contains("Uncaught"));
    }

    @Test
    void aDeadLetterIsReplayedWithOneClickOnceTheReceiverIsBack() throws Exception {
        Instant later = Instant.now().plusSeconds(30);
        hubReturnsFor("dead-key", candidate("cand-9", later, later));
        long id = created(body("dead-key", "Dead letters", "15", "/broken"));
        console.signIn();
        console.open("#/instances");
        console.fill("Search by name or tag", "Dead letters");
        console.click("Search");
        console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-instance='" + id + "'] a.dead"))).click();
        assertThat(console.field("Status").getAttribute("value")).isEqualTo("dead");
        WebElement dead = eventRow("cand-9", "dead");
        assertThat(dead.getText()).contains("500").contains("receiver down");

        hub.stubFor(post("/broken").willReturn(aResponse().withStatus(204)));
        dead.findElement(By.xpath(".//button[normalize-space()='Replay']")).click();
        console.fill("Status", "Delivered");
        eventRow("cand-9", "delivered");
        assertThat(Receiver.requests(hub, "/broken").get(Receiver.requests(hub, "/broken").size() - 1).getBody()).isNotEmpty();
    }

    @Test
    void aPreviewShowsTheVendorRequestsAndTheEventsAPollWouldEmitAndSendsNothing() throws Exception {
        Instant beforeCreation = Instant.now().minusSeconds(600);
        hubReturnsFor("preview-key", candidate("cand-p", beforeCreation, beforeCreation));
        long id = created(body("preview-key", "Previewed", "15", "/preview-callback"));
        console.signIn();
        console.open("#/instances/" + id);
        console.fill("Resource", "candidates");
        console.fill("Since (optional)", Instant.now().minusSeconds(3600).toString());
        console.click("Preview");

        WebElement result = console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-result")));
        assertThat(result.findElement(By.cssSelector("table.requests")).getText()).contains("GET")
                .contains(hub.baseUrl() + "/candidates?updatedAfter=").contains("200");
        assertThat(result.getText()).contains("1 event would be emitted");
        assertThat(result.findElement(By.cssSelector("table.preview-events")).getText()).contains("CREATED").contains("cand-p");
        assertThat(result.getText()).doesNotContain("preview-key");
        assertThat(Receiver.requests(hub, "/preview-callback")).as("a preview delivers nothing").isEmpty();
    }

    @Test
    void editingTheIntervalPatchesTheInstance() throws Exception {
        hubReturnsFor("edit-key");
        long id = created(body("edit-key", "Edit me", "15", "/callback"));
        console.signIn();
        console.open("#/instances/" + id);
        console.follow("Edit");
        console.fill("Refresh interval (minutes)", "-3");
        console.click("Save");
        console.waitFor(d -> !console.errorNextTo("Refresh interval (minutes)").isEmpty());

        console.fill("Refresh interval (minutes)", "0.02");
        console.click("Save");
        console.waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Edit me"));
        assertThat(Seeds.json(engine.get("/" + id).body()).path("configuration").path("event.poller.refresh_interval").asText())
                .isEqualTo("0.02");
        // polled again within seconds instead of once per 15 minutes
        console.waitFor(d -> hub.findAll(getRequestedFor(urlPathEqualTo(HUB_PATH)).withHeader("X-SmartToken", equalTo("edit-key"))).size() >= 3);
    }
}
