package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /rollback stats} and {@code /rollback log} over real incidents made through signed requests: two manual
 * rollbacks of podman containers that succeed, one denied, one cancelled. The figures are checked against the
 * incidents in the database; the chart and the log are checked as the fake Slack received them through the upload flow.
 */
class StatsAndLogIT {
    private static final String CHANNEL = SlackSender.CHANNEL;
    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        StringBuilder services = new StringBuilder();
        for (String s : List.of("a", "b", "c")) {
            int port = TestEngine.freePort();
            services.append("""
                      stats-%s:
                        platform: docker
                        container: rbt-s-%s
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: 20s
                    """.formatted(s, s, port));
            engine.run("rbt-s-" + s, WEB_V2, port, Map.of(), Map.of());
        }
        bot = TestBot.start("""
                slack: {channel: %s}
                approvals: {approvers: [U0LEAD], required: {manual: 1}, expire-after: 10m}
                services:
                """.formatted(CHANNEL) + services, slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-s-", bot, slack);
    }

    private static String request(String text, String service, int nth) {
        assertThat(bot.slack().command("U0DEV", text).text()).contains("Got it");
        return bot.awaitCard(service, nth);
    }

    private static long succeeded(String service, String reason) {
        String ts = request("manual " + service + " " + reason, service, 0);
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", "rollback_approve", id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        return id;
    }

    /** The run durations and request-to-success times of the succeeded incidents, from the database. */
    private static List<List<Duration>> figures() throws Exception {
        List<Duration> runs = new ArrayList<>();
        List<Duration> recoveries = new ArrayList<>();
        try (Connection c = bot.openDatabase(); ResultSet rs = c.createStatement().executeQuery(
                "select created_at, started_at, finished_at from incidents where state = 'SUCCEEDED' order by finished_at - started_at")) {
            while (rs.next()) {
                runs.add(Duration.ofMillis(rs.getLong(3) - rs.getLong(2)));
                recoveries.add(Duration.ofMillis(rs.getLong(3) - rs.getLong(1)));
            }
        }
        return List.of(runs, recoveries);
    }

    @Test
    void statsAndLogTellWhatHappened() throws Exception {
        long a = succeeded("stats-a", "checkout 500s");
        String cardA = slack.postedCards().stream().filter(c -> c.call().text().contains("INC-" + a + ":")).findFirst().orElseThrow().ts();
        succeeded("stats-b", "  Checkout   500s ");
        String denied = request("manual stats-c just in case", "stats-c", 0);
        bot.slack().click("U0LEAD", "rollback_deny", bot.incidentOf(denied), denied);
        bot.awaitCardShows(denied, "Denied by <@U0LEAD>");
        String cancelled = request("manual stats-c wrong service", "stats-c", 1);
        bot.slack().command("U0DEV", "cancel INC-" + bot.incidentOf(cancelled));
        bot.awaitCardShows(cancelled, "Cancelled by <@U0DEV>");

        var ack = bot.slack().command("U0DEV", "stats");
        assertThat(ack.text()).contains("Got it: working out the rollbacks of the last 30 days");
        SlackCall stats = TestBot.eventually(() -> slack.calls("chat.postMessage").stream()
                .filter(c -> c.text().startsWith("Rollbacks in the last 30 days")).toList(), l -> !l.isEmpty(), "the stats").get(0);
        assertThat(stats.param("channel")).isEqualTo(CHANNEL);
        assertThat(stats.param("thread_ts")).isNull();
        List<List<Duration>> f = figures();
        List<Duration> runs = f.get(0);
        Duration mttr = Duration.ofMillis((f.get(1).get(0).toMillis() + f.get(1).get(1).toMillis() + 1) / 2);
        assertThat(stats.blocksText()).contains("*Rollbacks*\n4", "manual: 4", "`stats-a`: 1", "`stats-b`: 1", "`stats-c`: 2",
                "succeeded: 2", "denied: 1", "cancelled: 1", "• 2 × checkout 500s", "• 1 × just in case", "• 1 × wrong service",
                "p50 " + Durations.human(runs.get(0)) + " · p95 " + Durations.human(runs.get(1)), "_2 runs_",
                "— no escalation was acknowledged", Durations.human(mttr) + " _(2 recoveries)_", "*Drills* (kept out of every figure above): 0");

        FakeSlack.Upload chart = TestBot.eventually(slack::uploads, l -> l.stream().anyMatch(u -> u.completion() != null),
                "the chart's upload").get(0);
        assertThat(chart.filename()).isEqualTo("rollback-durations-30d.png");
        assertThat(chart.bytes()).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        assertThat(chart.length()).isEqualTo(chart.bytes().length);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.bytes()));
        assertThat(image.getWidth()).isEqualTo(960);
        assertThat(image.getHeight()).isEqualTo(480);
        assertThat(chart.completion().param("channel_id")).isEqualTo(CHANNEL);
        assertThat(chart.completion().param("files")).contains("\"id\":\"" + chart.fileId() + "\"", "\"title\":\"Rollback run durations");

        var log = bot.slack().command("U0DEV", "log INC-" + a);
        assertThat(log.text()).contains("Got it: uploading the log of INC-" + a);
        assertThat(bot.awaitResponse(log.responseUrl())).contains("Uploaded `INC-" + a + ".md` into the thread of INC-" + a);
        FakeSlack.Upload md = slack.uploads().stream().filter(u -> u.filename().equals("INC-" + a + ".md")).findFirst().orElseThrow();
        assertThat(md.completion().param("channel_id")).isEqualTo(CHANNEL);
        assertThat(md.completion().param("thread_ts")).isEqualTo(cardA);
        String text = new String(md.bytes(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("# INC-" + a + ": manual rollback of stats-a").contains("| Service | stats-a |",
                "| Reason | checkout 500s |", "| Requested by | @U0DEV |", "| Approved by | @U0LEAD (1 of 1 needed) |",
                "| Outcome | succeeded", "approved by @U0LEAD");
        try (Connection c = bot.openDatabase(); ResultSet rs = c.createStatement().executeQuery(
                "select step_no, step_title from incident_events where type = 'STEP_STARTED' and incident_id = " + a)) {
            int steps = 0;
            while (rs.next()) {
                steps++;
                // the step's row: number, title, start time, duration, result
                assertThat(text).containsPattern("\\| " + rs.getInt(1) + " \\| " + java.util.regex.Pattern.quote(rs.getString(2))
                        + " \\| [0-9:.]+ \\| [0-9.]+ m?s \\| succeeded \\|");
            }
            assertThat(steps).isGreaterThan(0);
        }

        var unknown = bot.slack().command("U0DEV", "log INC-99999");
        assertThat(bot.awaitResponse(unknown.responseUrl())).contains("There is no INC-99999");

        // an upload Slack refuses loses nothing: the figures are posted, the thread says what failed
        slack.failMethod("files.getUploadURLExternal", "missing_scope");
        bot.slack().command("U0DEV", "stats 7");
        SlackCall second = TestBot.eventually(() -> slack.postedCards().stream()
                .filter(c -> c.call().text().startsWith("Rollbacks in the last 7 days")).toList(), l -> !l.isEmpty(), "the second stats")
                .get(0).call();
        assertThat(second.blocksText()).contains("*Rollbacks*\n4");
        String ts = slack.postedCards().stream().filter(c -> c.call().text().startsWith("Rollbacks in the last 7 days")).findFirst()
                .orElseThrow().ts();
        bot.awaitReply(ts, "could not be uploaded: files.getUploadURLExternal failed: missing_scope");
        assertThat(slack.uploads()).hasSize(2);
    }
}
