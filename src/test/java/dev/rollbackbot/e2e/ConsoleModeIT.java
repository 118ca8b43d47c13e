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
import java.time.Instant;
import java.util.Map;
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

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
