package dev.rollbackbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Start-up against Slack: a rejected bot token stops it; a Slack that does not answer does not. */
class SlackStartupTest {
    private static final String CONFIG = """
            slack: {channel: C0OPS}
            approvals: {approvers: [U0LEAD]}
            services:
              api-prod: {platform: docker, container: api-prod, health-url: "http://127.0.0.1:9/health"}
            """;

    @Test
    void aBotTokenSlackRejectsStopsStartUpSayingWhich() {
        try (FakeSlack slack = new FakeSlack()) {
            slack.rejectToken("invalid_auth");
            assertThatThrownBy(() -> TestBot.start(CONFIG, slack, "unix:///nonexistent.sock"))
                    .hasMessageContaining("Slack refused the bot token").hasMessageContaining("invalid_auth")
                    .hasMessageContaining("SLACK_BOT_TOKEN");
        }
    }

    @Test
    void aSlackThatDoesNotAnswerLeavesTheBotUpAndSayingWhatItWaitsFor() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (FakeSlack slack = new FakeSlack(); TestBot bot = TestBot.startWithEnv(CONFIG, slack, "unix:///nonexistent.sock",
                java.util.Map.of("SLACK_API_URL", "http://127.0.0.1:" + closed + "/api/"))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("waiting for the Slack API at http://127.0.0.1:" + closed);
            assertThat(bot.slack().command("U0DEV", "help").status()).isEqualTo(503);
        }
    }
}
