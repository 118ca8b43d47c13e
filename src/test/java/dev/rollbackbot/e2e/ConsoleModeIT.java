package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.ConsoleBot;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The whole bot in console mode serves the page and keeps Slack's checks; with a Slack token there is no console. */
class ConsoleModeIT {
    private static final String CONFIG = """
            slack: {channel: C0OPS}
            services:
              web: {platform: docker, container: rbt-i10-none, health-url: http://127.0.0.1:1/health}
            """;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutATokenTheBotServesTheConsoleAndStillRefusesUnsignedRequests() throws Exception {
        try (ConsoleBot bot = ConsoleBot.start(CONFIG, "unix:///nonexistent/docker.sock")) {
            assertThat(get(bot.port(), "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> page = get(bot.port(), "/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("rollback-bot console").contains("/console/assets/console.js");
            assertThat(get(bot.port(), "/console/assets/console.js").body()).contains("block_id");

            // a form on another site cannot type or click for the person who has the console open
            HttpResponse<String> forgedClick = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/console/command"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("as=U0YOU&channel=C0OPS&text=%2Frollback+help")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forgedClick.statusCode()).isEqualTo(403);

            // a request signed with any other secret is refused, as from Slack: only the console's own page gets in
            var forged = new SlackSender(URI.create("http://127.0.0.1:" + bot.port() + "/slack/events"), "guessed-secret", null);
            String body = forged.commandBody("U0YOU", "help", "t1", "http://127.0.0.1:1/response");
            assertThat(forged.send(body, Instant.now().getEpochSecond(), null, Map.of(), null).status()).isEqualTo(401);
        }
    }

    @Test
    void withASlackTokenThereIsNoConsole() throws Exception {
        try (FakeSlack slack = new FakeSlack(); TestBot bot = TestBot.start(CONFIG, slack, "unix:///nonexistent/docker.sock")) {
            assertThat(get(bot.port(), "/console").statusCode()).isEqualTo(404);
            assertThat(get(bot.port(), "/console/api/auth.test").statusCode()).isEqualTo(404);
            assertThat(slack.calls("auth.test")).isNotEmpty(); // the bot talks to the Slack it was given
        }
    }

    @Test
    void theJarWithNoSlackVariablesSaysWhereTheConsoleIsAndServesIt() throws Exception {
        Path dir = Files.createTempDirectory("rollback-console-jar");
        Files.writeString(dir.resolve("rollback-bot.yml"), CONFIG);
        Path jar = Path.of("target/rollback-bot.jar");
        assertThat(jar).as("run `mvn package` first").exists();
        Path log = dir.resolve("bot.log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        List.of("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL").forEach(pb.environment()::remove);
        pb.environment().putAll(Map.of("PORT", "0", "ROLLBACK_BOT_CONFIG", dir.resolve("rollback-bot.yml").toString(),
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents"), "DOCKER_HOST", "unix:///nonexistent/docker.sock"));
        Process p = pb.start();
        try {
            String ready = TestBot.eventually(() -> readyLine(log), l -> !l.isEmpty(), "the start-up line");
            Matcher url = Pattern.compile("CONSOLE MODE, no Slack token set: open (http://localhost:(\\d+)/console) to try it").matcher(ready);
            assertThat(url.find()).as(ready).isTrue();
            HttpResponse<String> page = get(Integer.parseInt(url.group(2)), "/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("rollback-bot console");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String readyLine(Path log) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.contains("rollback bot ready")).findFirst().orElse("");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
