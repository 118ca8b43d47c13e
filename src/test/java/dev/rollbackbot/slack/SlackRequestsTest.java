package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge as Slack sees it, without a container engine: request signing, the 3-second acknowledgement with
 * bad input answered on it, and retries. The services here name containers that do not exist.
 */
class SlackRequestsTest {
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  api-prod: {platform: docker, container: no-such-container-here, health-url: "http://127.0.0.1:9/health"}
                  search: {platform: kubernetes, namespace: prod, deployment: search, health-url: "http://127.0.0.1:9/health"}
                datastores:
                  db-prod: {type: postgres, host: 127.0.0.1}
                """, slack, "unix:///nonexistent/docker.sock");
    }

    @AfterAll
    static void stop() {
        bot.close();
        slack.close();
    }

    @Test
    void aForgedSignatureGets401AndLeavesNoTrace() {
        int before = slack.requestCount();
        var r = bot.slack().send("command=%2Frollback&text=emergency+api-prod&user_id=U0X&channel_id=C0TEST",
                Instant.now().getEpochSecond(), "v0=" + "0".repeat(64), Map.of(), null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(slack.requestCount()).isEqualTo(before);
    }

    @Test
    void aSignatureMadeWithAnotherSecretGets401() {
        String body = "command=%2Frollback&text=help&user_id=U0X&channel_id=C0TEST";
        long now = Instant.now().getEpochSecond();
        var r = bot.slack().send(body, now, SlackSender.sign("not-the-secret", now, body), Map.of(), null);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void aTimestampOlderThanFiveMinutesGets401EvenWhenCorrectlySigned() {
        String body = "command=%2Frollback&text=help&user_id=U0X&channel_id=C0TEST";
        var r = bot.slack().send(body, Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond(), null, Map.of(), null);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void aTimestampMoreThanFiveMinutesAheadGets401EvenWhenCorrectlySigned() {
        String body = "command=%2Frollback&text=help&user_id=U0X&channel_id=C0TEST";
        var r = bot.slack().send(body, Instant.now().plus(Duration.ofMinutes(6)).getEpochSecond(), null, Map.of(), null);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void slacksPublishedTestVectorIsAcceptedByTheVerifier() {
        // Slack's documented example: this secret, timestamp and body give this signature.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertThat(SlackSender.sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void anUnknownServiceIsAnsweredOnTheAckWithTheValidOnes() {
        var r = bot.slack().command("U0DEV", "emergency api-prd disk full");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("Unknown service", "api-prd", "Did you mean", "api-prod", "search");
        assertThat(r.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(slack.cards()).isEmpty();
    }

    @Test
    void junkOfAnyKindGetsASpecificAnswerAndChangesNothing() {
        assertThat(bot.slack().command("U0DEV", "x".repeat(5000)).text()).contains("5,000 characters", "2,000");
        assertThat(bot.slack().command("U0DEV", "rollbak api-prod").text()).contains("not a /rollback command", "emergency");
        assertThat(bot.slack().command("U0DEV", "manual").text()).contains("Which service?", "Usage");
        assertThat(bot.slack().command("U0DEV", "emergency 💥🔥 <!channel>").text()).contains("Unknown service")
                .doesNotContain("<!channel>");
        assertThat(bot.slack().command("U0DEV", "status INC-abc").text()).contains("not an incident id");
        assertThat(bot.slack().command("U0DEV", "emergency db-prod").text()).contains("is a datastore");
        assertThat(slack.cards()).isEmpty();
    }

    @Test
    void helpAndOncallAreAnsweredOnTheAck() {
        assertThat(bot.slack().command("U0DEV", "").text()).contains("/rollback emergency &lt;service&gt; [reason]");
        assertThat(bot.slack().command("U0DEV", "help manual").text()).contains("--to &lt;version&gt;");
        assertThat(bot.slack().command("U0DEV", "oncall").text()).contains("L1", "DevOps Engineer", "15m", "L4", "CTO");
    }

    @Test
    void wordsOfLaterVersionsAreUnderstoodAndSaySo() {
        assertThat(bot.slack().command("U0DEV", "stats 7").text()).contains("not available yet");
        assertThat(bot.slack().command("U0DEV", "data db-prod --backup nightly.sql.gz").text()).contains("not available yet");
        assertThat(bot.slack().command("U0DEV", "manual search").text())
                .contains("`/rollback manual` on a Kubernetes service (`search`)", "not available yet", "Available now:",
                        "`manual` on Docker services", "`emergency` on Docker services");
    }

    @Test
    void aRequestTheEngineCannotPlanIsRefusedWithTheReasonAndFreesTheTarget() {
        var r = bot.slack().command("U0DEV", "manual api-prod");
        assertThat(r.text()).contains("Got it");
        assertThat(bot.awaitResponse(r.responseUrl())).contains("could not be planned", "container engine", "DOCKER_HOST");
        var again = bot.slack().command("U0DEV", "manual api-prod");
        assertThat(bot.awaitResponse(again.responseUrl())).contains("could not be planned").doesNotContain("already has a rollback");
    }

    @Test
    void statusAndHistoryAnswerPrivately() {
        var s = bot.slack().command("U0DEV", "status");
        assertThat(s.status()).isEqualTo(200);
        assertThat(bot.awaitResponse(s.responseUrl())).contains("No rollback is pending or running");
        var h = bot.slack().command("U0DEV", "history api-prod");
        assertThat(bot.awaitResponse(h.responseUrl())).contains("Rollbacks of `api-prod`", "Versions seen running");
        var missing = bot.slack().command("U0DEV", "status INC-999999");
        assertThat(bot.awaitResponse(missing.responseUrl())).contains("There is no INC-999999");
    }

    @Test
    void aSlackRetryOrAResentDeliveryNeverRunsTwice() {
        var retried = bot.slack().command("U0DEV", "status", UUID.randomUUID().toString(),
                Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
        assertThat(retried.status()).isEqualTo(200);
        String trigger = UUID.randomUUID().toString();
        var first = bot.slack().command("U0DEV", "status", trigger, Map.of());
        var resent = bot.slack().command("U0DEV", "status", trigger, Map.of());
        assertThat(bot.awaitResponse(first.responseUrl())).contains("No rollback");
        TestBot.eventually(() -> slack.responsesTo(first.responseUrl()).size(), n -> n == 1, "one answer");
        assertThat(slack.responsesTo(resent.responseUrl())).isEmpty();
        assertThat(slack.responsesTo(retried.responseUrl())).isEmpty();
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");
        var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
    }
}
