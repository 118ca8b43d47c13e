package dev.rollbackbot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through chromium-driver (Selenium), with a fresh profile and no background
 * networking; nothing is downloaded. Missing chromium skips the test, or fails it under {@code CI=true}.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser require() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            Services.unavailable("headless Chromium (Debian packages chromium and chromium-driver)",
                    "no " + (Files.isExecutable(CHROMIUM) ? DRIVER : CHROMIUM));
        }
        Path profile = Files.createTempDirectory("rollback-bot-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, o), profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits (polling) until an element matches, and returns it. */
    public WebElement await(By by, String what) {
        return waiting(what).until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Waits until no displayed element matches. */
    public void awaitGone(By by, String what) {
        waiting(what).until(d -> d.findElements(by).stream().noneMatch(WebElement::isDisplayed));
    }

    /** Waits until an element matching {@code by} has a text that {@code ok} accepts, and returns that text. */
    public String awaitText(By by, java.util.function.Predicate<String> ok, String what) {
        return waiting(what).until(d -> d.findElements(by).stream().map(WebElement::getText).filter(ok).findFirst().orElse(null));
    }

    /** The page re-renders as the bot's messages come: an element found a moment ago may be gone, so look again. */
    private WebDriverWait waiting(String what) {
        WebDriverWait w = new WebDriverWait(driver, TestBot.WAIT);
        w.pollingEvery(Duration.ofMillis(100)).withMessage(what).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    /** Waits until the page's text contains {@code text}. */
    public void awaitText(String text) {
        waiting("page showing '" + text + "'").until(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
