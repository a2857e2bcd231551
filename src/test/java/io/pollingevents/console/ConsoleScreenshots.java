package io.pollingevents.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.pollingevents.support.Browser;
import io.pollingevents.support.RunningEngine;
import io.pollingevents.support.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

/**
 * Takes the screenshots of docs/console/ (not part of the test run): three instances against a WireMock hub on
 * 127.0.0.1, a few minutes of changes, then each page of the console. Run once after changing the console:
 * {@code mvn -B -q test -Dtest=ConsoleScreenshots -Dconsole.screenshots=docs/console}.
 */
@EnabledIfSystemProperty(named = "console.screenshots", matches = ".+")
class ConsoleScreenshots {
    static final DateTimeFormatter SR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String[] NAMES = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"};

    @Test
    void screenshotsOfEveryPage() throws Exception {
        Path out = Files.createDirectories(Path.of(System.getProperty("console.screenshots")));
        WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hub.start();
        hub.stubFor(post("/receiver").willReturn(aResponse().withStatus(204)));
        hub.stubFor(post("/down").willReturn(aResponse().withStatus(503).withBody("maintenance until 14:00")));
        hub.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":3600}")));
        hub.stubFor(post(urlPathEqualTo("/Read")).willReturn(okJson("{\"Code\":0,\"AbEntry\":{\"Data\":[]}}")));
        try (RunningEngine engine = RunningEngine.start(Files.createTempDirectory("pe-screens"), Map.of("polling.node.id", "node-1"));
             Browser browser = Browser.start(1360, 1100)) {
            long eu = engine(engine, smartRecruiters(hub, "Recruiting EU", "eu-key", "/receiver", "Recruiting", "EU"));
            engine(engine, smartRecruiters(hub, "Recruiting US", "us-key", "/down", "Recruiting", "US"));
            ObjectNode crm = Seeds.example("maximizer");
            crm.put("name", "CRM contacts");
            crm.putArray("tags").add("CRM");
            crm.with("providerData").put("code", "grant");
            ObjectNode config = crm.with("configuration");
            config.put("base.url", hub.baseUrl());
            config.put("oauth.token.url", hub.baseUrl() + "/oauth/token");
            config.put("event.notification.callback.url", hub.baseUrl() + "/receiver");
            engine(engine, crm);

            // a few minutes of changes: new and updated candidates every 20 seconds for both SmartRecruiters instances
            Instant start = Instant.now().plusSeconds(5);
            List<String> records = new ArrayList<>();
            // changed before the instances were created: no poll sends it, a preview from two hours ago shows it
            records.add(candidate("cand-earlier", "Margaret Hamilton", start.minusSeconds(3600), start.minusSeconds(3600)));
            for (int round = 0; round < 10; round++) {
                Instant at = start.plusSeconds(20L * round);
                records.add(candidate("cand-" + round, NAMES[round % NAMES.length], at, at));
                if (round > 1) {
                    // the candidate of two rounds ago changes: an UPDATED event
                    Instant created = start.plusSeconds(20L * (round - 2));
                    records.set(round - 1, candidate("cand-" + (round - 2), NAMES[(round - 2) % NAMES.length], created, at));
                }
                for (String key : new String[] {"eu-key", "us-key"}) {
                    hub.stubFor(get(urlPathEqualTo("/candidates")).withHeader("X-SmartToken", equalTo(key))
                            .willReturn(okJson("{\"content\":[" + String.join(",", records) + "]}")));
                }
                Instant next = at.plusSeconds(20);
                await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(next));
            }

            ConsolePage console = new ConsolePage(browser.driver(), ConsolePage.consoleUrl(engine));
            console.open("#/instances");
            console.field("User secret");
            shoot(browser, out, "sign-in");
            console.signIn();
            console.waitFor(ExpectedConditions.textToBe(By.id("engine-health"), "UP"));
            shoot(browser, out, "instances");

            console.open("#/instances/" + eu);
            console.waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".chart .uplot canvas"), 2));
            shoot(browser, out, "instance");

            console.fill("Since (optional)", start.minusSeconds(7200).toString());
            console.click("Preview");
            var preview = console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-result")));
            browser.driver().executeScript("arguments[0].scrollIntoView()", browser.driver().findElement(By.id("preview-title")));
            Files.write(out.resolve("preview.png"), browser.driver().getScreenshotAs(OutputType.BYTES));

            console.open("#/instances/" + eu + "/events");
            console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-event]")));
            browser.driver().findElement(By.xpath("(//summary[normalize-space()='Show notification'])[1]")).click();
            console.waitFor(d -> !d.findElements(By.cssSelector("details[open] pre.json")).isEmpty()
                    && !d.findElement(By.cssSelector("details[open] pre.json")).getText().isEmpty());
            shoot(browser, out, "events");

            console.open("#/instances");
            console.open("#/instances/" + (eu + 1) + "/events?status=dead");
            console.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr.status-dead")));
            shoot(browser, out, "dead-letters");

            console.open("#/create");
            console.fill("Element", "SmartRecruiters (smartrecruiters)");
            console.fill("Name", "Recruiting APAC");
            console.fill("api.key", UUID.randomUUID().toString());
            console.fill("Callback URL", "https://hooks.example.com/recruiting");
            console.fill("Refresh interval (minutes)", "five");
            console.click("Build JSON");
            console.click("Create");
            console.waitFor(d -> !console.errorNextTo("Refresh interval (minutes)").isEmpty());
            shoot(browser, out, "create");

            console.open("#/instances/" + eu + "/edit");
            console.field("Refresh interval (minutes)");
            shoot(browser, out, "edit");
        } finally {
            hub.stop();
        }
    }

    static ObjectNode smartRecruiters(WireMockServer hub, String name, String key, String callback, String... tags) throws Exception {
        ObjectNode body = Seeds.json(Seeds.example("smartrecruiters", Map.of("api.key", key, "base.url", hub.baseUrl(),
                "event.notification.callback.url", hub.baseUrl() + callback, "event.poller.refresh_interval", "0.1")));
        body.put("name", name);
        var tagArray = body.putArray("tags");
        for (String tag : tags) {
            tagArray.add(tag);
        }
        return body;
    }

    static long engine(RunningEngine engine, ObjectNode body) throws Exception {
        var response = engine.post(body.toString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.body());
        }
        return Seeds.id(response.body());
    }

    static String candidate(String id, String name, Instant created, Instant updated) {
        String[] parts = name.split(" ");
        return "{\"id\":\"" + id + "\",\"firstName\":\"" + parts[0] + "\",\"lastName\":\"" + parts[1] + "\",\"createdOn\":\""
                + SR.format(created) + "\",\"updatedOn\":\"" + SR.format(updated) + "\"}";
    }

    static void shoot(Browser browser, Path out, String name) throws Exception {
        browser.driver().executeScript("window.scrollTo(0, 0)");
        Files.write(out.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
