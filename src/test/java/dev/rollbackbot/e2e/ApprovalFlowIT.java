package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.app.Options;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may approve, how often a click counts, and what keeps a target to one rollback at a time. */
class ApprovalFlowIT {
    private static final String APPROVE = "rollback_approve";
    private static final String DENY = "rollback_deny";

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static final Map<String, Integer> PORTS = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        slack.groupMembers("S0ONCALL", "U0ONCALL1", "U0ONCALL2");
        StringBuilder services = new StringBuilder();
        for (String s : List.of("deny", "twice", "race", "busy", "expire", "cancel", "group", "stranger", "replay")) {
            int port = TestEngine.freePort();
            PORTS.put(s, port);
            services.append("""
                      %s:
                        platform: docker
                        container: rbt-ap-%s
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: 20s
                    """.formatted(s, s, port));
            engine.run("rbt-ap-" + s, WEB_V2, port, Map.of(), Map.of());
        }
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD, U0LEAD2, S0ONCALL]
                  required: {manual: 1, emergency: 2}
                  expire-after: 10m
                services:
                """ + services, slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-ap-", bot, slack);
    }

    private static String request(String requester, String text, String service) {
        var ack = bot.slack().command(requester, text);
        assertThat(ack.status()).isEqualTo(200);
        return bot.awaitCard(service);
    }

    @Test
    void denyRecordsWhoDeniedAndNothingRuns() {
        String ts = request("U0DEV", "manual deny", "deny");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD2", DENY, id, ts);
        bot.awaitReply(ts, "Denied by <@U0LEAD2>");
        bot.awaitCardShows(ts, "Denied by <@U0LEAD2>");
        var late = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(late.responseUrl())).contains("denied", "changed nothing");
        assertThat(engine.imageOf("rbt-ap-deny")).isEqualTo(WEB_V2);
        var status = bot.slack().command("U0DEV", "status INC-" + id);
        assertThat(bot.awaitResponse(status.responseUrl())).contains("denied by <@U0LEAD2>");
    }

    @Test
    void aSecondClickBySameApproverCountsOnce() {
        String ts = request("U0DEV", "emergency twice payments down", "twice");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitCardShows(ts, "1 of 2");
        var again = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(again.responseUrl())).contains("already approved", "counts once", "1 of 2");
        assertThat(engine.imageOf("rbt-ap-twice")).isEqualTo(WEB_V2);
        bot.slack().click("U0LEAD2", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(engine.imageOf("rbt-ap-twice")).isEqualTo(WEB_V1);
        assertThat(slack.thread(ts)).contains("Approved by <@U0LEAD> (1 of 2)", "Approved by <@U0LEAD2> (2 of 2)");
    }

    @Test
    void clicksOfManyApproversAtOnceStartOneRun() throws Exception {
        String ts = request("U0DEV", "manual race", "race");
        long id = bot.incidentOf(ts);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<SlackSender.Reply>> clicks = new ArrayList<>();
        for (String user : List.of("U0LEAD", "U0LEAD2", "U0ONCALL1", "U0ONCALL2")) {
            clicks.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return bot.slack().click(user, APPROVE, id, ts);
            }));
        }
        go.countDown();
        for (var c : clicks) {
            assertThat(c.get().status()).isEqualTo(200);
        }
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(slack.threadReplies(ts).stream().filter(c -> c.text().startsWith("🔄 Rollback started")).count()).isEqualTo(1);
        assertThat(slack.threadReplies(ts).stream().filter(c -> c.text().contains("Step 1/4:")).count()).isEqualTo(1);
        assertThat(engine.imageOf("rbt-ap-race")).isEqualTo(WEB_V1);
    }

    @Test
    void aBusyTargetIsRefusedWithTheRunningIncident() {
        String ts = request("U0DEV", "manual busy first", "busy");
        long id = bot.incidentOf(ts);
        var second = bot.slack().command("U0OTHER", "emergency busy second");
        assertThat(bot.awaitResponse(second.responseUrl())).contains("already has a rollback", "INC-" + id, "manual",
                "<@U0DEV>", "not started");
        assertThat(slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of busy requested"))).hasSize(1);
        bot.slack().command("U0DEV", "cancel INC-" + id);
        bot.awaitCardShows(ts, "Cancelled by <@U0DEV>");
        var third = bot.slack().command("U0OTHER", "manual busy third");
        assertThat(third.text()).contains("Got it");
        String ts3 = bot.awaitCard("busy", 1);
        assertThat(ts3).isNotEqualTo(ts);
        bot.slack().click("U0LEAD", DENY, bot.incidentOf(ts3), ts3);
        bot.awaitCardShows(ts3, "Denied");
    }

    @Test
    void anUnapprovedRequestExpiresAndNothingRuns() throws Exception {
        try (FakeSlack ownSlack = new FakeSlack();
                TestBot quick = TestBot.start("""
                        slack: {channel: C0OPS}
                        approvals: {approvers: [U0LEAD], expire-after: 1s}
                        services:
                          expire:
                            platform: docker
                            container: rbt-ap-expire
                            health-url: http://127.0.0.1:%d/health
                        """.formatted(PORTS.get("expire")), ownSlack, engine.host(), null,
                        new Options(java.time.Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMillis(100)))) {
            quick.slack().command("U0DEV", "manual expire");
            String ts = quick.awaitCard("expire");
            long id = quick.incidentOf(ts);
            quick.awaitReply(ts, "Expired");
            quick.awaitCardShows(ts, "Expired");
            var late = quick.slack().click("U0LEAD", APPROVE, id, ts);
            assertThat(quick.awaitResponse(late.responseUrl())).contains("expired", "nothing ran");
            assertThat(engine.imageOf("rbt-ap-expire")).isEqualTo(WEB_V2);
        }
    }

    @Test
    void onlyTheRequesterCancels() {
        String ts = request("U0DEV", "manual cancel", "cancel");
        long id = bot.incidentOf(ts);
        var other = bot.slack().command("U0OTHER", "cancel INC-" + id);
        assertThat(bot.awaitResponse(other.responseUrl())).contains("Only <@U0DEV>", "can cancel");
        var mine = bot.slack().command("U0DEV", "cancel INC-" + id);
        assertThat(bot.awaitResponse(mine.responseUrl())).contains("You cancelled INC-" + id);
        bot.awaitReply(ts, "Cancelled by <@U0DEV>");
        var click = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("cancelled");
        assertThat(engine.imageOf("rbt-ap-cancel")).isEqualTo(WEB_V2);
    }

    @Test
    void aMemberOfAnApproverGroupMayApprove() {
        String ts = request("U0DEV", "manual group", "group");
        bot.slack().click("U0ONCALL2", APPROVE, bot.incidentOf(ts), ts);
        bot.awaitReply(ts, "succeeded");
        assertThat(slack.calls("usergroups.users.list")).isNotEmpty();
        assertThat(engine.imageOf("rbt-ap-group")).isEqualTo(WEB_V1);
    }

    @Test
    void someoneWhoIsNotAnApproverChangesNothing() {
        String ts = request("U0DEV", "manual stranger", "stranger");
        long id = bot.incidentOf(ts);
        var click = bot.slack().click("U0RANDOM", APPROVE, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("not an approver", "<@U0LEAD>", "<!subteam^S0ONCALL>");
        var deny = bot.slack().click("U0RANDOM", DENY, id, ts);
        assertThat(bot.awaitResponse(deny.responseUrl())).contains("not an approver");
        assertThat(slack.threadReplies(ts)).isEmpty();
        bot.slack().command("U0DEV", "cancel INC-" + id);
        bot.awaitCardShows(ts, "Cancelled");
    }

    @Test
    void aResentClickIsHandledOnce() {
        String ts = request("U0DEV", "emergency replay", "replay");
        long id = bot.incidentOf(ts);
        // Slack resends a click unchanged: same trigger_id, same response_url. Handled twice, the repeat would be
        // refused ("you already approved") at that response_url; handled once, only the first answer arrives there.
        String trigger = UUID.randomUUID().toString();
        String answers = slack.newResponseUrl();
        bot.slack().click("U0LEAD", APPROVE, String.valueOf(id), ts, trigger, answers);
        bot.slack().click("U0LEAD", APPROVE, String.valueOf(id), ts, trigger, answers);
        bot.awaitCardShows(ts, "1 of 2");
        assertThat(bot.awaitResponse(answers)).contains("You approved INC-" + id, "1 of 2");
        TestBot.stays("one answer to the click, one approval, one APPROVED event", () -> {
            assertThat(slack.responsesTo(answers)).hasSize(1);
            assertThat(bot.count("select count(*) from approvals where incident_id = ?", id)).isEqualTo(1);
            assertThat(bot.count("select count(*) from incident_events where incident_id = ? and type = 'APPROVED'", id))
                    .isEqualTo(1);
        });
        var status = bot.slack().command("U0DEV", "status INC-" + id);
        String timeline = bot.awaitResponse(status.responseUrl());
        assertThat(timeline.split("approved by", -1)).hasSize(2);
        assertThat(slack.threadReplies(ts).stream().filter(c -> c.text().contains("Approved by"))).hasSize(1);
        bot.slack().click("U0LEAD2", DENY, id, ts);
        bot.awaitCardShows(ts, "Denied");
        assertThat(engine.imageOf("rbt-ap-replay")).isEqualTo(WEB_V2);
    }
}
