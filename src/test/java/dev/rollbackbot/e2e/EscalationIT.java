package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The escalation matrix with second-long levels, through signed requests and clicks only: L1 paged at once in the
 * thread and by DM (and email through a real SMTP server), L2 after L1's time, the last level repeating, stopping on
 * Acknowledge, {@code /rollback ack} or success; outsiders refused.
 */
class EscalationIT {
    static final String ACK = "escalation_ack";
    private static final String APPROVE = "rollback_approve";
    static final String LEVELS = """
            escalation:
              levels:
                - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], email: [devops@example.com], respond-within: 1s}
                - {name: L2, role: Technical Lead, notify: [U0TECH, S0LEADS], respond-within: 1s}
                - {name: L3, role: CTO, notify: [U0CTO], respond-within: 1s}
            """;

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static GreenMail mail;
    private static final Map<String, Integer> PORTS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        slack.groupMembers("S0LEADS", "U0LEADA", "U0LEADB");
        mail = new GreenMail(new ServerSetup(TestEngine.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        StringBuilder services = new StringBuilder();
        for (String s : List.of("ack", "cmd", "repeat", "ok", "quiet")) {
            int port = TestEngine.freePort();
            PORTS.put(s, port);
            services.append("""
                      %s:
                        platform: docker
                        container: rbt-es-%s
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: 20s
                    """.formatted(s, s, port));
            engine.run("rbt-es-" + s, WEB_V2, port, Map.of(), Map.of());
        }
        bot = TestBot.startWithEnv("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD], expire-after: 10m}
                """ + LEVELS + "services:\n" + services, slack, engine.host(),
                Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", String.valueOf(mail.getSmtp().getPort()),
                        "SMTP_FROM", "rollback-bot@example.com"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (mail != null) {
            mail.stop();
        }
        TestEngine.cleanUp(engine, "rbt-es-", bot, slack);
    }

    /** The page replies in the thread of {@code ts}, oldest first. */
    static List<SlackCall> pages(FakeSlack slack, String ts) {
        return slack.threadReplies(ts).stream().filter(c -> c.text().contains(" page: ")).toList();
    }

    static void awaitPages(FakeSlack slack, String ts, int n) {
        TestBot.eventually(() -> pages(slack, ts).size(), k -> k >= n, n + " pages in thread " + ts);
    }

    @Test
    void l1AtOnceByThreadDmAndEmailThenL2WithThePendingApprovalThenNothingAfterAcknowledge() throws Exception {
        bot.slack().command("U0DEV", "emergency ack checkout 500s");
        String ts = bot.awaitCard("ack");
        long id = bot.incidentOf(ts);

        awaitPages(slack, ts, 1);
        SlackCall l1 = pages(slack, ts).get(0);
        assertThat(l1.all()).contains("INC-" + id + " page 1: L1 (DevOps Engineer)", "<@U0DEVOPS>", "Acknowledge",
                "Emergency rollback of `ack` requested by <@U0DEV>", "checkout 500s", "Open for",
                "https://test.slack.com/archives/C0TEST/p1");
        assertThat(l1.blocks()).contains("\"text\":\"Acknowledge\"", "\"action_id\":\"" + ACK + "\"");
        TestBot.eventually(() -> slack.calls("chat.postMessage").stream()
                .filter(c -> "DU0DEVOPS".equals(c.param("channel")) && c.all().contains("INC-" + id + " page 1")).count(),
                n -> n == 1, "the L1 DM to U0DEVOPS");
        assertThat(slack.calls("conversations.open")).anyMatch(c -> "U0DEVOPS".equals(c.param("users")));

        MimeMessage email = TestBot.eventually(() -> List.of(mail.getReceivedMessages()).stream()
                .filter(m -> subject(m).contains("[INC-" + id + "]")).findFirst().orElse(null), m -> m != null, "the L1 email");
        assertThat(subject(email)).contains("L1 page (DevOps Engineer)");
        assertThat(email.getAllRecipients()[0].toString()).isEqualTo("devops@example.com");
        assertThat(GreenMailUtil.getBody(email)).contains("INC-" + id, "L1", "https://test.slack.com/archives/C0TEST/p1");

        awaitPages(slack, ts, 2);
        SlackCall l2 = pages(slack, ts).get(1);
        assertThat(l2.all()).contains("page 2: L2 (Technical Lead)", "<@U0TECH>", "<!subteam^S0LEADS>",
                "approval is still waiting on <@U0LEAD>");
        // group members get their DM too
        TestBot.eventually(() -> slack.calls("chat.postMessage").stream().filter(c -> "DU0LEADB".equals(c.param("channel"))).count(),
                n -> n >= 1, "the L2 DM to a member of S0LEADS");

        var click = bot.slack().click("U0LEADA", ACK, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("You acknowledged INC-" + id);
        bot.awaitReply(ts, "Acknowledged by <@U0LEADA>");
        bot.awaitCardShows(ts, "acknowledged by <@U0LEADA>");
        int after = pages(slack, ts).size();
        TestBot.stays("no page after the acknowledgement", () -> assertThat(pages(slack, ts)).hasSize(after));
        assertThat(after).isLessThanOrEqualTo(3);
        assertThat(bot.count("select count(*) from escalations where incident_id = ? and acked_by = 'U0LEADA'", id)).isEqualTo(1);
        assertThat(bot.count("select count(*) from incident_events where incident_id = ? and type = 'ACKNOWLEDGED'", id)).isEqualTo(1);
        assertThat(bot.count("select count(*) from incident_events where incident_id = ? and type = 'PAGE_DM'", id)).isGreaterThanOrEqualTo(3);
        assertThat(bot.count("select count(*) from incident_events where incident_id = ? and type = 'PAGE_EMAIL'", id)).isEqualTo(1);
        var metrics = bot.metrics();
        assertThat(metrics.counter("rollback_pages_total", "level", "L1", "drill", "false")).isGreaterThanOrEqualTo(1.0);
        assertThat(metrics.value("rollback_time_to_acknowledge_seconds_count").orElse(0)).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void outsidersAreRefusedAndASecondAckIsAnsweredNotRecorded() {
        bot.slack().command("U0DEV", "emergency cmd");
        String ts = bot.awaitCard("cmd");
        long id = bot.incidentOf(ts);
        awaitPages(slack, ts, 1);

        var outsider = bot.slack().click("U0RANDOM", ACK, id, ts);
        assertThat(bot.awaitResponse(outsider.responseUrl())).contains("Only the people of the escalation matrix", "changed nothing");
        assertThat(bot.count("select count(*) from escalations where incident_id = ? and open_for is not null", id)).isEqualTo(1);
        awaitPages(slack, ts, 2); // still paging

        var first = bot.slack().command("U0CTO", "ack INC-" + id);
        assertThat(bot.awaitResponse(first.responseUrl())).contains("You acknowledged INC-" + id);
        var second = bot.slack().command("U0LEAD", "ack INC-" + id);
        assertThat(bot.awaitResponse(second.responseUrl())).contains("already acknowledged by <@U0CTO> at", "UTC");
        assertThat(bot.count("select count(*) from incident_events where incident_id = ? and type = 'ACKNOWLEDGED'", id)).isEqualTo(1);
        int after = pages(slack, ts).size();
        TestBot.stays("no page after /rollback ack", () -> assertThat(pages(slack, ts)).hasSize(after));
    }

    @Test
    void theLastLevelRepeatsUntilAcknowledgedAndOncallShowsTheOpenEscalation() {
        bot.slack().command("U0DEV", "emergency repeat");
        String ts = bot.awaitCard("repeat");
        long id = bot.incidentOf(ts);
        awaitPages(slack, ts, 5);
        List<SlackCall> p = pages(slack, ts);
        assertThat(p.get(0).text()).contains("L1");
        assertThat(p.get(1).text()).contains("L2");
        assertThat(p.get(2).text()).contains("L3");
        assertThat(p.get(3).text()).contains("L3");
        assertThat(p.get(4).text()).contains("L3");

        var oncall = bot.slack().command("U0DEV", "oncall");
        assertThat(oncall.text()).contains("Escalation matrix", "L1", "L3");
        assertThat(bot.awaitResponse(oncall.responseUrl())).contains("Open escalations", "INC-" + id, "paged L3 (CTO: <@U0CTO>)",
                "next page (L3) due");

        bot.slack().command("U0CTO", "ack INC-" + id);
        bot.awaitReply(ts, "Acknowledged by <@U0CTO>");
    }

    @Test
    void aSuccessfulRollbackStopsThePagesAndTheThreadSaysSo() {
        bot.slack().command("U0DEV", "emergency ok");
        String ts = bot.awaitCard("ok");
        long id = bot.incidentOf(ts);
        awaitPages(slack, ts, 1);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "succeeded");
        bot.awaitReply(ts, "Pages stopped: INC-" + id + " succeeded");
        int after = pages(slack, ts).size();
        TestBot.stays("no page after success", () -> assertThat(pages(slack, ts)).hasSize(after));
        assertThat(bot.count("select count(*) from escalations where incident_id = ? and close_reason like '%succeeded%'", id))
                .isEqualTo(1);
    }

    @Test
    void aManualRequestPagesNobody() {
        bot.slack().command("U0DEV", "manual quiet");
        String ts = bot.awaitCard("quiet");
        long id = bot.incidentOf(ts);
        TestBot.stays("no page for a manual request", () -> assertThat(pages(slack, ts)).isEmpty());
        assertThat(bot.count("select count(*) from escalations where incident_id = ?", id)).isZero();
        bot.slack().command("U0DEV", "cancel INC-" + id);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
