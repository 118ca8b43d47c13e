package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.FLAKY_V2;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.PrometheusText;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /rollback drill} end to end on podman, through Slack only: the service is stopped for real (the outage is
 * seen), rolled back to its previous image, verified; every message says DRILL; a failed drill puts the service back
 * and pages L1 only, saying DRILL; the figures carry drill="true" and leave the real ones alone; and the version a
 * drill left is not taken for a bad one.
 */
class DrillIT {
    private static final String APPROVE = "rollback_approve";
    private static final String PREFIX = "rbt-drill-";
    private static final int PRACTICE_PORT = TestEngine.freePort();
    private static final int BROKEN_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                  required: {drill: 1, manual: 1}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 1s}
                    - {name: L2, role: Technical Lead, notify: [U0TECH], respond-within: 1s}
                services:
                  practice: {platform: docker, container: %spractice, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  broken: {platform: docker, container: %sbroken, health-url: "http://127.0.0.1:%d/health", ready-timeout: 3s}
                """.formatted(PREFIX, PRACTICE_PORT, PREFIX, BROKEN_PORT), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, PREFIX, bot, slack);
    }

    @Test
    void aDrillStopsTheServiceRollsItBackVerifiesAndSaysDrillInEveryMessage() {
        engine.run(PREFIX + "practice", WEB_V2, PRACTICE_PORT, Map.of(), Map.of());
        PrometheusText before = bot.metrics();

        bot.slack().command("U0DEV", "drill practice quarterly practice");
        String ts = bot.awaitCard("practice");
        long id = bot.incidentOf(ts);
        SlackCall card = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call();
        assertThat(card.blocksText()).contains("DRILL: rollback of practice", "`" + WEB_V2 + "` → `" + WEB_V1 + "`",
                "Simulate a failed deploy: stop " + PREFIX + "practice");
        assertThat(card.blocks()).contains("it is stopped for real, then rolled back to");

        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(engine.imageOf(PREFIX + "practice")).isEqualTo(WEB_V1);
        List<SlackCall> replies = slack.threadReplies(ts);
        assertThat(replies).isNotEmpty().allSatisfy(r -> assertThat(r.text()).startsWith("🧪 *DRILL* · "));
        assertThat(slack.thread(ts)).contains("simulated outage: http://127.0.0.1:" + PRACTICE_PORT + "/health answers");

        PrometheusText after = TestBot.eventually(bot::metrics, m -> m.counter("rollback_incidents_total", "event", "succeeded",
                "kind", "drill", "service", "practice", "drill", "true") == 1, "the drill counted as drill=\"true\"");
        assertThat(after.counter("rollback_duration_seconds_count", "kind", "drill", "service", "practice", "outcome", "succeeded",
                "drill", "true")).isEqualTo(1);
        assertThat(after.sum("rollback_incidents_total", "drill", "false"))
                .as("a drill moves no real figure").isEqualTo(before.sum("rollback_incidents_total", "drill", "false"));
        assertThat(after.sum("rollback_duration_seconds_count", "drill", "false"))
                .isEqualTo(before.sum("rollback_duration_seconds_count", "drill", "false"));

        // the drill's v2 was not bad: a manual rollback of v1 now offers v2 (the version before it in the history)
        bot.slack().command("U0DEV", "manual practice");
        String next = bot.awaitCard("practice", 1);
        assertThat(slack.postedCards().stream().filter(c -> c.ts().equals(next)).findFirst().orElseThrow().call().blocksText())
                .contains("`" + WEB_V1 + "` → `" + WEB_V2 + "`").doesNotContain("DRILL");
        bot.slack().command("U0DEV", "cancel INC-" + bot.incidentOf(next));
        bot.awaitCardShows(next, "Cancelled");
    }

    @Test
    void aFailedDrillPutsTheServiceBackAndPagesL1OnlySayingDrill() {
        engine.run(PREFIX + "broken", FLAKY_V2, BROKEN_PORT, Map.of(), Map.of()); // its previous image never gets healthy
        bot.slack().command("U0DEV", "drill broken");
        String ts = bot.awaitCard("broken");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(engine.imageOf(PREFIX + "broken")).isEqualTo(FLAKY_V2);

        EscalationIT.awaitPages(slack, ts, 3); // respond-within 1s: L1, then L1 again, never L2
        List<SlackCall> pages = EscalationIT.pages(slack, ts);
        assertThat(pages).allSatisfy(p -> assertThat(p.all()).contains("DRILL", ": L1 (DevOps Engineer)", "<@U0DEVOPS>",
                "a drill pages L1 only").doesNotContain("U0TECH", "L2"));
        var ack = bot.slack().command("U0DEVOPS", "ack INC-" + id);
        assertThat(bot.awaitResponse(ack.responseUrl())).contains("You acknowledged INC-" + id);
        PrometheusText m = bot.metrics();
        assertThat(m.counter("rollback_pages_total", "level", "L1", "drill", "true")).isGreaterThanOrEqualTo(3);
        assertThat(m.counter("rollback_pages_total", "level", "L2", "drill", "false")).isZero();
    }
}
