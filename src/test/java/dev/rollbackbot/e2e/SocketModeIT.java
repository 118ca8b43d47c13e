package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.FakeSocketMode;
import dev.rollbackbot.testing.Json;
import dev.rollbackbot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Socket Mode end to end without Slack: the bot, given only an app token (no signing secret), asks the fake Web API
 * for a WebSocket URL ({@code apps.connections.open}), connects to a local server playing Slack's side, and answers
 * slash command envelopes with acks that carry the ephemeral answer, within Slack's 3 seconds. No container engine
 * is needed: the service names a container that does not exist and is never touched.
 */
class SocketModeIT {
    private static final String APP_TOKEN = "xapp-test";
    private static final Duration SLACK_ACK_LIMIT = Duration.ofSeconds(3);
    private static final String FIRST = "env-first-command";
    private static final String DOCKER = "unix:///nonexistent/docker.sock";
    private static final String CONFIG = """
            slack: {channel: C0OPS}
            approvals: {approvers: [U0LEAD]}
            services:
              api-prod: {platform: docker, container: no-such-container-here, health-url: "http://127.0.0.1:9/health"}
              web: {platform: docker, container: no-such-container-either, health-url: "http://127.0.0.1:9/health"}
            datastores:
              db-prod: {type: postgres, host: 127.0.0.1}
            """;

    private static FakeSlack slack;
    private static FakeSocketMode socket;
    private static TestBot bot;
    private static String firstResponseUrl;

    @BeforeAll
    static void start() throws Exception {
        slack = new FakeSlack();
        firstResponseUrl = slack.newResponseUrl();
        socket = FakeSocketMode.open(FakeSocketMode.slashCommand(FIRST, "/rollback", "emergency no-such-service",
                "U0DEV", "C0OPS", firstResponseUrl));
        slack.socketModeUrl(APP_TOKEN, socket.url());
        bot = TestBot.startSocketMode(CONFIG, slack, DOCKER, APP_TOKEN, false);
        socket.awaitConnected(TestBot.WAIT);
    }

    @AfterAll
    static void stop() {
        if (bot != null) {
            bot.close();
        }
        if (socket != null) {
            socket.close();
        }
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void theBotAsksForTheSocketUrlWithTheAppTokenAndConnectsToIt() {
        // the stub answers only "Bearer xapp-test": a connection at all proves the app token was used
        assertThat(slack.calls("apps.connections.open")).isNotEmpty();
        assertThat(socket.paths()).isNotEmpty().allMatch("/link"::equals);
    }

    @Test
    void aSlashCommandIsAckedOnTheSocketWithTheErrorNamingTheServiceAndTheValidOnes() {
        FakeSocketMode.Ack ack = socket.awaitAck(FIRST, TestBot.WAIT);
        assertThat(ack.took()).isLessThan(SLACK_ACK_LIMIT);
        assertThat(ack.json().path("envelope_id").asText()).isEqualTo(FIRST);
        assertThat(ack.payload().path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(Json.texts(ack.payload().toString()))
                .contains("Unknown service `no-such-service`")
                .contains("Services: `api-prod`, `web`.");
        // answered on the ack, so nothing goes to the response_url and no card is posted
        assertThat(slack.responsesTo(firstResponseUrl)).isEmpty();
        assertThat(slack.cards()).isEmpty();
    }

    @Test
    void helpIsAnsweredOnTheAckWithTheUsageList() {
        String id = "env-help";
        socket.send(FakeSocketMode.slashCommand(id, "/rollback", "help", "U0DEV", "C0OPS", slack.newResponseUrl()));
        FakeSocketMode.Ack ack = socket.awaitAck(id, TestBot.WAIT);
        assertThat(ack.took()).isLessThan(SLACK_ACK_LIMIT);
        assertThat(ack.json().path("envelope_id").asText()).isEqualTo(id);
        assertThat(ack.payload().path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(Json.texts(ack.payload().toString()))
                .contains("`/rollback emergency &lt;service&gt; [reason]`")
                .contains("`/rollback status [INC-n]`")
                .contains("`/rollback help [command]`");
    }

    @Test
    void workAfterTheAckIsAnsweredThroughTheResponseUrl() {
        String id = "env-status";
        String responseUrl = slack.newResponseUrl();
        socket.send(FakeSocketMode.slashCommand(id, "/rollback", "status", "U0DEV", "C0OPS", responseUrl));
        FakeSocketMode.Ack ack = socket.awaitAck(id, TestBot.WAIT);
        assertThat(ack.took()).isLessThan(SLACK_ACK_LIMIT);
        assertThat(Json.texts(ack.payload().toString())).isEqualTo("Got it: looking up what is pending or running…");
        assertThat(bot.awaitResponse(responseUrl)).contains("No rollback is pending or running.");
    }

    @Test
    void aButtonClickArrivesAsAnInteractiveEnvelopeAndIsAcked() {
        String id = "env-click";
        String responseUrl = slack.newResponseUrl();
        socket.send(FakeSocketMode.buttonClick(id, "rollback_deny", "not-an-incident", "U0LEAD", "C0OPS", responseUrl));
        FakeSocketMode.Ack ack = socket.awaitAck(id, TestBot.WAIT);
        assertThat(ack.took()).isLessThan(SLACK_ACK_LIMIT);
        assertThat(bot.awaitResponse(responseUrl)).contains("This button does not name an incident; nothing changed.");
    }

    @Test
    void healthIs200OnceConnectedInSocketModeAndTheHttpEndpointIsOffWithoutASigningSecret() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> health = TestBot.eventually(() -> get(http, "/health"), r -> r.statusCode() == 200,
                "/health answering 200");
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(get(http, "/slack/events").statusCode()).isEqualTo(404);
    }

    @Test
    void anAppTokenSlackRefusesStopsStartUpNamingTheAppToken() {
        try (FakeSlack refusing = new FakeSlack()) {
            refusing.refuseSocketMode("invalid_auth");
            assertThatThrownBy(() -> TestBot.startSocketMode(CONFIG, refusing, DOCKER, APP_TOKEN, false).close())
                    .hasMessageContaining("SLACK_APP_TOKEN")
                    .hasMessageContaining("invalid_auth")
                    .hasMessageNotContaining("SLACK_BOT_TOKEN");
        }
    }

    @Test
    void whileSlackCannotHandOutASocketUrlHealthSays503AndTheBotConnectsWhenItCan() throws Exception {
        try (FakeSlack later = new FakeSlack(); FakeSocketMode server = FakeSocketMode.open()) {
            later.failSocketMode(503);
            try (TestBot waiting = TestBot.startSocketMode(CONFIG, later, DOCKER, APP_TOKEN, false)) {
                HttpResponse<String> health = get(waiting, "/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("apps.connections.open answered HTTP 503");
                later.socketModeUrl(APP_TOKEN, server.url());
                server.awaitConnected(TestBot.WAIT);
                TestBot.eventually(() -> get(waiting, "/health").statusCode(), s -> s == 200, "/health 200 once connected");
            }
        }
    }

    @Test
    void closingTheBotEndsItsSocketModeClientEvenWhenTheConnectionWasAlreadyGone() throws Exception {
        Set<Thread> before = socketModeThreads();
        try (FakeSlack own = new FakeSlack()) {
            TestBot closing;
            try (FakeSocketMode server = FakeSocketMode.open()) {
                own.socketModeUrl(APP_TOKEN, server.url());
                closing = TestBot.startSocketMode(CONFIG, own, DOCKER, APP_TOKEN, false);
                server.awaitConnected(TestBot.WAIT);
            } // Slack's side is gone before the bot stops: no ping is answered at close
            Set<Thread> mine = socketModeThreads();
            mine.removeAll(before);
            assertThat(mine).as("the Socket Mode client's threads").isNotEmpty();
            closing.close();
            await().atMost(Duration.ofSeconds(10)).alias("the Socket Mode client's threads to end")
                    .until(() -> mine.stream().noneMatch(Thread::isAlive));
        }
    }

    /** The threads of Socket Mode clients (message processor, session monitor), named so by the Slack SDK. */
    private static Set<Thread> socketModeThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("socket-mode-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    private static HttpResponse<String> get(HttpClient http, String path) {
        return get(http, bot, path);
    }

    private static HttpResponse<String> get(TestBot target, String path) {
        return get(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), target, path);
    }

    private static HttpResponse<String> get(HttpClient http, TestBot target, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
