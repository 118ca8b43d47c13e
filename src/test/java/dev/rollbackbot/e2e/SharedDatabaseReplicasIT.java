package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestEngine;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two bot replicas behind one URL, sharing one PostgreSQL: any replica takes any click, the target lock holds
 * across them, and approvals racing on both start exactly one run.
 */
class SharedDatabaseReplicasIT {
    private static final int RACE_PORT = TestEngine.freePort();
    private static final int ONCE_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static TestDatabases.TestDatabase db;
    private static FakeSlack slack;
    private static TestBot a;
    private static TestBot b;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        db = TestDatabases.postgres();
        slack = new FakeSlack();
        String config = """
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD, U0LEAD2]
                  required: {manual: 1, emergency: 2}
                services:
                  race: {platform: docker, container: rbt-rep-race, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  once: {platform: docker, container: rbt-rep-once, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                """.formatted(RACE_PORT, ONCE_PORT);
        engine.run("rbt-rep-race", WEB_V2, RACE_PORT, Map.of(), Map.of());
        engine.run("rbt-rep-once", WEB_V2, ONCE_PORT, Map.of(), Map.of());
        a = TestBot.start(config, slack, engine.host(), db);
        b = TestBot.start(config, slack, engine.host(), db);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, slack, db}) {
            if (c != null) {
                c.close();
            }
        }
        if (engine != null) {
            engine.removeAll("rbt-rep-");
        }
    }

    @Test
    void approvalsClickedOnBothReplicasAtOnceStartOneRunAndTheLockHoldsAcrossThem() throws Exception {
        a.slack().command("U0DEV", "manual race");
        String ts = a.awaitCard("race");
        long id = a.incidentOf(ts);

        var busy = b.slack().command("U0OTHER", "emergency race");
        assertThat(b.awaitResponse(busy.responseUrl())).contains("already has a rollback", "INC-" + id);

        CountDownLatch go = new CountDownLatch(1);
        var onA = CompletableFuture.supplyAsync(() -> click(a.slack(), go, "U0LEAD", id, ts));
        var onB = CompletableFuture.supplyAsync(() -> click(b.slack(), go, "U0LEAD2", id, ts));
        go.countDown();
        assertThat(onA.get().status()).isEqualTo(200);
        assertThat(onB.get().status()).isEqualTo(200);

        a.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(slack.threadReplies(ts).stream().filter(c -> c.text().startsWith("🔄 Rollback started")).count()).isEqualTo(1);
        assertThat(engine.imageOf("rbt-rep-race")).isEqualTo(WEB_V1);
        var status = b.slack().command("U0DEV", "status INC-" + id);
        assertThat(b.awaitResponse(status.responseUrl())).contains("succeeded");
    }

    @Test
    void theSameClickDeliveredToBothReplicasCountsOnce() {
        a.slack().command("U0DEV", "emergency once");
        String ts = a.awaitCard("once");
        long id = a.incidentOf(ts);
        // one click (one trigger_id, one response_url) that reaches both replicas: the shared delivery log lets one
        // of them handle it; handled by both, the second would answer "you already approved" at the response_url
        String trigger = UUID.randomUUID().toString();
        String answers = slack.newResponseUrl();
        a.slack().click("U0LEAD", "rollback_approve", String.valueOf(id), ts, trigger, answers);
        b.slack().click("U0LEAD", "rollback_approve", String.valueOf(id), ts, trigger, answers);
        a.awaitCardShows(ts, "1 of 2");
        assertThat(a.awaitResponse(answers)).contains("You approved INC-" + id, "1 of 2");
        TestBot.stays("one answer to the click, one approval, one APPROVED event", () -> {
            assertThat(slack.responsesTo(answers)).hasSize(1);
            assertThat(a.count("select count(*) from approvals where incident_id = ?", id)).isEqualTo(1);
            assertThat(b.count("select count(*) from incident_events where incident_id = ? and type = 'APPROVED'", id))
                    .isEqualTo(1);
        });
        var status = a.slack().command("U0DEV", "status INC-" + id);
        assertThat(a.awaitResponse(status.responseUrl()).split("approved by", -1)).hasSize(2);
        b.slack().command("U0DEV", "cancel INC-" + id);
        a.awaitCardShows(ts, "Cancelled");
        assertThat(engine.imageOf("rbt-rep-once")).isEqualTo(WEB_V2);
    }

    private static SlackSender.Reply click(SlackSender sender, CountDownLatch go, String user, long id, String ts) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sender.click(user, "rollback_approve", id, ts);
    }
}
