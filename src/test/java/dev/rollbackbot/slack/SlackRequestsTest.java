package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.PrometheusText;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    private static final String INCIDENTS = "rollback_incidents_total";
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        slack = new FakeSlack();
        bot = TestBot.startWithEnv("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  api-prod: {platform: docker, container: no-such-container-here, health-url: "http://127.0.0.1:9/health"}
                  search: {platform: kubernetes, namespace: prod, deployment: search, health-url: "http://127.0.0.1:9/health"}
                datastores:
                  db-prod: {type: postgres, host: 127.0.0.1}
                """, slack, "unix:///nonexistent/docker.sock", java.util.Map.of("KUBECONFIG", unreachableCluster()));
    }

    /** A cluster that refuses at once (the in-cluster default name may take seconds to fail to resolve). */
    private static String unreachableCluster() throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("rbt-kubeconfig-unreachable", ".yml");
        f.toFile().deleteOnExit();
        java.nio.file.Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - {name: none, cluster: {server: "https://127.0.0.1:9"}}
                contexts:
                - {name: none, context: {cluster: none, user: test}}
                current-context: none
                users:
                - {name: test, user: {token: test-token}}
                """);
        return f.toString();
    }

    @AfterAll
    static void stop() {
        bot.close();
        slack.close();
    }

    /**
     * A real request that would leave a trace if it were handled: an emergency rollback of api-prod opens an
     * incident (refused at planning, as there is no engine), records its delivery and answers at its response_url.
     */
    private static String emergencyRequest(String responseUrl) {
        return bot.slack().commandBody("U0X", "emergency api-prod disk full", UUID.randomUUID().toString(), responseUrl);
    }

    /**
     * Sends {@code body} as given, expects 401, and then nothing: no row added or changed in the database, no call
     * to the fake Slack (not even to the response_url). Then proves the body mattered: sent again, correctly signed
     * and in time, the same body does open an incident and gets an answer.
     */
    private static void refusedWithoutATrace(String body, long timestamp, String signature, String responseUrl) {
        Map<String, List<String>> before = bot.snapshot();
        int calls = slack.requestCount();

        var r = bot.slack().send(body, timestamp, signature, Map.of(), responseUrl);

        assertThat(r.status()).isEqualTo(401);
        TestBot.stays("no trace of the unverified request", () -> {
            assertThat(bot.snapshot()).as("the database").isEqualTo(before);
            assertThat(slack.requestCount()).as("calls to the fake Slack").isEqualTo(calls);
        });

        long incidents = bot.count("select count(*) from incidents");
        var genuine = bot.slack().send(body, Instant.now().getEpochSecond(), null, Map.of(), responseUrl);
        assertThat(genuine.status()).isEqualTo(200);
        assertThat(bot.awaitResponse(responseUrl)).contains("could not be planned");
        assertThat(bot.count("select count(*) from incidents")).isEqualTo(incidents + 1);
    }

    @Test
    void aForgedSignatureGets401AndLeavesNoTrace() {
        String url = slack.newResponseUrl();
        refusedWithoutATrace(emergencyRequest(url), Instant.now().getEpochSecond(), "v0=" + "0".repeat(64), url);
    }

    @Test
    void aSignatureMadeWithAnotherSecretGets401AndLeavesNoTrace() {
        String url = slack.newResponseUrl();
        String body = emergencyRequest(url);
        long now = Instant.now().getEpochSecond();
        refusedWithoutATrace(body, now, SlackSender.sign("not-the-secret", now, body), url);
    }

    @Test
    void aBodyChangedAfterSigningGets401AndLeavesNoTrace() {
        String url = slack.newResponseUrl();
        String body = emergencyRequest(url);
        long now = Instant.now().getEpochSecond();
        String signedForHelp = SlackSender.sign(TestBot.SECRET, now, body.replace("emergency+api-prod", "help"));
        refusedWithoutATrace(body, now, signedForHelp, url);
    }

    @Test
    void aTimestampOlderThanFiveMinutesGets401EvenWhenCorrectlySignedAndLeavesNoTrace() {
        String url = slack.newResponseUrl();
        refusedWithoutATrace(emergencyRequest(url), Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond(), null, url);
    }

    @Test
    void aTimestampMoreThanFiveMinutesAheadGets401EvenWhenCorrectlySignedAndLeavesNoTrace() {
        String url = slack.newResponseUrl();
        refusedWithoutATrace(emergencyRequest(url), Instant.now().plus(Duration.ofMinutes(6)).getEpochSecond(), null, url);
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
        Map<String, List<String>> before = bot.snapshot();
        int calls = slack.requestCount();
        assertThat(bot.slack().command("U0DEV", "x".repeat(5000)).text()).contains("5,000 characters", "2,000");
        assertThat(bot.slack().command("U0DEV", "rollbak api-prod").text()).contains("not a /rollback command", "emergency");
        assertThat(bot.slack().command("U0DEV", "manual").text()).contains("Which service?", "Usage");
        assertThat(bot.slack().command("U0DEV", "emergency 💥🔥 <!channel>").text()).contains("Unknown service")
                .doesNotContain("<!channel>");
        assertThat(bot.slack().command("U0DEV", "status INC-abc").text()).contains("not an incident id");
        assertThat(bot.slack().command("U0DEV", "emergency db-prod").text()).contains("is a datastore");
        TestBot.stays("no trace of the junk", () -> {
            assertThat(bot.snapshot()).as("the database (incidents, events, approvals, deliveries)").isEqualTo(before);
            assertThat(slack.requestCount()).as("calls to the fake Slack").isEqualTo(calls);
        });
    }

    @Test
    void helpAndOncallAreAnsweredOnTheAck() {
        assertThat(bot.slack().command("U0DEV", "").text()).contains("/rollback emergency &lt;service&gt; [reason]");
        assertThat(bot.slack().command("U0DEV", "help manual").text()).contains("--to &lt;version&gt;");
        assertThat(bot.slack().command("U0DEV", "oncall").text()).contains("L1", "DevOps Engineer", "15m", "L4", "CTO");
    }

    @Test
    void wordsOfLaterVersionsAreUnderstoodAndSaySo() {
        // stats and log arrived with issue 9
        assertThat(bot.slack().command("U0DEV", "stats 7").text()).contains("Got it: working out the rollbacks of the last 7 days");
        // data rollbacks arrived with issue 8: a --backup is checked on the ack, here against a datastore without a backups folder
        assertThat(bot.slack().command("U0DEV", "data db-prod --backup nightly.sql.gz").text())
                .contains("db-prod has no `backups` folder");
        // Kubernetes rollbacks arrived with issue 7: a manual rollback of a Kubernetes service is planned like any other
        var k8s = bot.slack().command("U0DEV", "manual search");
        assertThat(k8s.text()).contains("Got it: planning the manual rollback of `search`");
        // its planning ends (refused: no cluster answers) before the next test looks at the database
        assertThat(bot.awaitResponse(k8s.responseUrl())).contains("could not be planned", "search");
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
        TestBot.stays("one answer, to the first delivery only", () -> {
            assertThat(slack.responsesTo(first.responseUrl())).hasSize(1);
            assertThat(slack.responsesTo(resent.responseUrl())).isEmpty();
            assertThat(slack.responsesTo(retried.responseUrl())).isEmpty();
        });
    }

    @Test
    void aResentRollbackRequestOpensOneIncidentAndIsAnsweredOnce() {
        // Slack resends a delivery unchanged: same trigger_id, same response_url
        String trigger = UUID.randomUUID().toString();
        String url = slack.newResponseUrl();
        long before = bot.count("select count(*) from incidents where target = ?", "api-prod");
        var first = bot.slack().command("U0DEV", "manual api-prod", trigger, Map.of(), url);
        var resent = bot.slack().command("U0DEV", "manual api-prod", trigger, Map.of(), url);
        assertThat(first.status()).isEqualTo(200);
        assertThat(resent.status()).isEqualTo(200);
        assertThat(bot.awaitResponse(url)).contains("could not be planned");
        TestBot.stays("one incident and one answer", () -> {
            assertThat(slack.responsesTo(url)).hasSize(1);
            assertThat(bot.count("select count(*) from incidents where target = ?", "api-prod")).isEqualTo(before + 1);
        });
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
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        // Prometheus' text format throughout (what the counters say is aRefusedRequestCounts...'s business)
        PrometheusText scrape = PrometheusText.parse(metrics.body());
        assertThat(scrape.samples(INCIDENTS)).allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("event", "kind", "service", "drill"));
    }

    @Test
    void aRefusedRequestCountsOneRequestedAndOneRefusedIncidentAndNothingElse() {
        PrometheusText before = bot.metrics();
        var r = bot.slack().command("U0DEV", "emergency api-prod");
        assertThat(bot.awaitResponse(r.responseUrl())).contains("could not be planned");
        PrometheusText after = bot.metrics();
        assertThat(after.type(INCIDENTS)).contains("counter");
        assertThat(PrometheusText.moved(before.sumBy(INCIDENTS, "event"), after.sumBy(INCIDENTS, "event")))
                .isEqualTo(Map.of("requested", 1.0, "refused", 1.0));
        // nothing ran, so no rollback was timed
        assertThat(durations(after)).isEqualTo(durations(before));
    }

    private static List<PrometheusText.Sample> durations(PrometheusText scrape) {
        return scrape.samples().stream().filter(s -> s.name().startsWith("rollback_duration") && s.name().endsWith("_count")).toList();
    }
}
