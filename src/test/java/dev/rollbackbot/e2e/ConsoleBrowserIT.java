package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.Browser;
import dev.rollbackbot.testing.ConsoleBot;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console as a person uses it, in headless Chromium: the bot runs in console mode (no Slack token), the page
 * types {@code /rollback manual}, switches to an approver, clicks Approve and confirms; a real container (podman) is
 * rolled back, and the page shows the thread's steps and the card's outcome.
 */
class ConsoleBrowserIT {
    private static final String SERVICE = "rbt-i10-web";
    private static final int WEB_PORT = TestEngine.freePort();
    private static final String HEADER = "Manual rollback of " + SERVICE;

    private static TestEngine engine;
    private static ConsoleBot bot;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.require();
        engine = TestEngine.require();
        bot = ConsoleBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD, S0ONCALL]
                  required: {manual: 1}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 15m}
                services:
                  %s:
                    platform: docker
                    container: %s
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                """.formatted(SERVICE, SERVICE, WEB_PORT), engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-i10-", browser, bot);
    }

    @Test
    void aManualRollbackTypedInTheConsoleIsApprovedByAnotherPersonAndRollsTheContainerBack() throws Exception {
        engine.run(SERVICE, WEB_V2, WEB_PORT, Map.of(), Map.of());
        TestBot.eventually(() -> health(WEB_PORT), b -> b.contains("ok v2"), "web v2 healthy");
        browser.open(bot.url() + "?as=U0YOU");
        browser.await(By.cssSelector("body[data-as='U0YOU']"), "the page rendered for the requester");

        type("/rollback manual " + SERVICE + " v2 answers 404 on /health");

        String cardTs = cardWith(HEADER).getDomAttribute("data-ts");
        By cardBy = By.cssSelector(".msg[data-ts='" + cardTs + "']");
        String card = browser.awaitText(cardBy, t -> t.contains("Approve"), "the card's buttons");
        assertThat(card).contains(WEB_V2).contains(WEB_V1).contains("Deny").contains("@you (requester)");
        browser.await(By.xpath("//div[contains(@class,'ephemeral')][contains(.,'Got it')]"), "the ephemeral ack");

        select("U0LEAD");
        cardWith(HEADER);
        assertThat(browser.driver().findElements(By.cssSelector(".msg.ephemeral"))).as("the requester's ephemerals").isEmpty();

        browser.await(By.cssSelector(".msg[data-ts='" + cardTs + "'] button[data-action-id='rollback_approve']"), "Approve").click();
        WebElement dialog = browser.await(By.id("confirm"), "the confirmation dialog");
        assertThat(dialog.getText()).contains("Approve INC-").contains(SERVICE);
        browser.driver().findElement(By.id("confirm-ok")).click();

        String outcome = browser.awaitText(cardBy, t -> t.contains("✅ " + HEADER), "the card's outcome");
        assertThat(outcome).contains("Succeeded in");
        String thread = browser.awaitText(By.cssSelector(".thread[data-thread-ts='" + cardTs + "']"),
                t -> t.contains("Approved by") && t.contains("✅ Step"), "the card's thread with its steps");
        assertThat(thread).contains("@lead").contains("Step 1/");
        assertThat(engine.imageOf(SERVICE)).isEqualTo(WEB_V1);
        assertThat(health(WEB_PORT)).contains("ok v1");

        byte[] png = browser.screenshot();
        assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Path out = Path.of(System.getProperty("console.screenshot", "target/console-rollback.png"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, png);
    }

    @Test
    void anEphemeralErrorIsSeenOnlyByWhoTypedTheCommand() {
        browser.open(bot.url() + "?as=US0ONCALL");
        browser.await(By.cssSelector("body[data-as='US0ONCALL']"), "the page rendered for the group member");

        type("/rollback manual rbt-i10-nowhere");

        WebElement error = browser.await(By.xpath("//div[contains(@class,'ephemeral')][contains(.,'rbt-i10-nowhere')]"
                + "[.//*[contains(@class,'meta')][contains(.,'rollback-bot')]]"), "the bot's ephemeral error");
        assertThat(error.getText()).contains("Only visible to you").contains(SERVICE);

        select("U0DEVOPS");
        assertThat(browser.text()).doesNotContain("rbt-i10-nowhere");
        select("US0ONCALL");
        browser.awaitText("rbt-i10-nowhere");
    }

    @Test
    void blockKitAndMrkdwnAreDrawnAsSlackDrawsThem() throws Exception {
        String blocks = """
                [{"type":"header","text":{"type":"plain_text","text":"Render check <b>not html</b>"}},
                 {"type":"section","text":{"type":"mrkdwn","text":"*bold* _italic_ ~gone~ `code` <https://example.com/x|a link> <@U0LEAD> <!subteam^S0ONCALL> a &lt;tag&gt;"},
                  "fields":[{"type":"mrkdwn","text":"*Field one*\\nvalue"},{"type":"plain_text","text":"*not bold*"}]},
                 {"type":"divider"},
                 {"type":"context","elements":[{"type":"mrkdwn","text":"context line"}]},
                 {"type":"actions","block_id":"render-1","elements":[{"type":"button","action_id":"render_ok","value":"1",
                   "text":{"type":"plain_text","text":"Press"},"style":"primary",
                   "confirm":{"title":{"type":"plain_text","text":"Sure?"},"text":{"type":"mrkdwn","text":"Really *press*?"},
                   "confirm":{"type":"plain_text","text":"Yes, press"},"deny":{"type":"plain_text","text":"No"}}}]}]
                """;
        String form = "channel=C0OPS&text=render+check&blocks=" + java.net.URLEncoder.encode(blocks, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bot.apiUrl() + "chat.postMessage"))
                .header("Authorization", "Bearer " + bot.botToken()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.body()).contains("\"ok\":true");
        browser.open(bot.url() + "?as=U0LEAD");
        WebElement m = cardWith("Render check");
        String ts = m.getDomAttribute("data-ts");
        By msg = By.cssSelector(".msg[data-ts='" + ts + "']");

        var d = browser.driver();
        assertThat(d.findElement(msg).findElement(By.cssSelector(".block.header")).getText()).isEqualTo("Render check <b>not html</b>");
        WebElement section = d.findElement(msg).findElement(By.cssSelector(".block.section"));
        assertThat(section.findElement(By.tagName("b")).getText()).isEqualTo("bold");
        assertThat(section.findElement(By.tagName("i")).getText()).isEqualTo("italic");
        assertThat(section.findElement(By.tagName("s")).getText()).isEqualTo("gone");
        assertThat(section.findElement(By.tagName("code")).getText()).isEqualTo("code");
        assertThat(section.findElement(By.tagName("a")).getDomAttribute("href")).isEqualTo("https://example.com/x");
        assertThat(section.findElement(By.tagName("a")).getText()).isEqualTo("a link");
        assertThat(section.findElement(By.cssSelector(".mention.me")).getText()).isEqualTo("@lead");
        assertThat(section.findElement(By.cssSelector(".mention.group")).getText()).isEqualTo("@oncall");
        assertThat(section.getText()).contains("a <tag>").contains("Field one\nvalue").contains("*not bold*");
        assertThat(d.findElement(msg).findElements(By.cssSelector(".block.divider"))).hasSize(1);
        assertThat(d.findElement(msg).findElement(By.cssSelector(".block.context")).getText()).isEqualTo("context line");

        d.findElement(msg).findElement(By.cssSelector("button[data-action-id='render_ok']")).click();
        assertThat(browser.await(By.id("confirm"), "the confirmation").getText()).contains("Sure?").contains("Really press?")
                .contains("Yes, press").contains("No");
        d.findElement(By.id("confirm-cancel")).click();
        browser.awaitGone(By.id("confirm"), "the dialog closed by its deny button");
    }

    @Test
    void anUploadedPngIsShownInlineAndAMarkdownFileAsALink() throws Exception {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
        share("durations.png", "Rollback run durations", png.toByteArray());
        share("INC-7.md", "INC-7: manual rollback of web", "# INC-7\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        browser.open(bot.url() + "?as=U0LEAD");

        WebElement image = browser.await(By.cssSelector(".file img.file-image"), "the chart inline");
        TestBot.eventually(() -> image.getDomProperty("naturalWidth"), w -> "300".equals(w), "the PNG loaded by the page");
        WebElement link = browser.await(By.cssSelector(".file a.file-link"), "the Markdown file's link");
        assertThat(link.getText()).isEqualTo("INC-7.md");
        assertThat(link.getDomAttribute("download")).isEqualTo("INC-7.md");
        assertThat(link.getDomAttribute("href")).contains("/console/files/F");
    }

    /** A file shared in the channel through the console's Web API, as the bot's gateway does it. */
    private static void share(String name, String title, byte[] bytes) throws Exception {
        var http = HttpClient.newHttpClient();
        String url = api(http, "files.getUploadURLExternal", "filename=" + name + "&length=" + bytes.length);
        var upload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(url);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(upload.path("upload_url").asText()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String files = "[{\"id\":\"" + upload.path("file_id").asText() + "\",\"title\":\"" + title + "\"}]";
        assertThat(api(http, "files.completeUploadExternal", "channel_id=C0OPS&files="
                + java.net.URLEncoder.encode(files, java.nio.charset.StandardCharsets.UTF_8))).contains("\"ok\":true");
    }

    private static String api(HttpClient http, String method, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(bot.apiUrl() + method)).header("Authorization", "Bearer " + bot.botToken())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void type(String text) {
        WebElement box = browser.await(By.id("text"), "the message box");
        box.sendKeys(text);
        browser.driver().findElement(By.id("send")).click();
    }

    private static void select(String user) {
        new Select(browser.driver().findElement(By.id("as"))).selectByValue(user);
        browser.await(By.cssSelector("body[data-as='" + user + "']"), "the page rendered for " + user);
    }

    private static WebElement cardWith(String header) {
        return browser.await(By.xpath("//div[contains(@class,'msg')][.//div[contains(@class,'header')][contains(.,'" + header + "')]]"),
                "a card '" + header + "'");
    }

    private static String health(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(java.time.Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
