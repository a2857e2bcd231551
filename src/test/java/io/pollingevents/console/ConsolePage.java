package io.pollingevents.console;

import io.pollingevents.support.RunningEngine;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.function.Function;

/** What a person does in the console, by the visible labels and button texts: sign in, open a page, fill a field, click. */
final class ConsolePage {
    static final String USER = "test-user";
    static final String ORGANIZATION = "test-org";

    final WebDriver driver;
    final String base;

    ConsolePage(WebDriver driver, String consoleUrl) {
        this.driver = driver;
        this.base = consoleUrl;
    }

    static String consoleUrl(RunningEngine engine) {
        return engine.api().replace("/elements/api-v2/instances", "/console/");
    }

    void signIn() {
        open("#/instances");
        fill("User secret", USER);
        fill("Organization secret", ORGANIZATION);
        click("Sign in");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[normalize-space()='Instances']")));
    }

    void open(String hash) {
        driver.get(base + hash);
    }

    /** The control whose visible label has exactly this text. */
    WebElement field(String label) {
        WebElement element = waitFor(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//label[normalize-space()=" + literal(label) + "]")));
        return driver.findElement(By.id(element.getAttribute("for")));
    }

    void fill(String label, String text) {
        WebElement field = field(label);
        if (field.getTagName().equals("select")) {
            new Select(field).selectByVisibleText(text);
            return;
        }
        field.clear();
        field.sendKeys(text);
    }

    void click(String button) {
        waitFor(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()=" + literal(button) + "]"))).click();
    }

    /** Follows the link with this text in the page's main part (not the navigation). */
    void follow(String link) {
        waitFor(ExpectedConditions.elementToBeClickable(By.xpath("//main//a[normalize-space()=" + literal(link) + "]"))).click();
    }

    /** The text of the error shown next to the field with this label (empty while there is none). */
    String errorNextTo(String label) {
        WebElement error = driver.findElement(By.id(field(label).getAttribute("id") + "-error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    String heading() {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1"))).getText();
    }

    <T> T waitFor(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(200)).until(condition);
    }

    static String literal(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }
}
