package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeCluster;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes rollbacks driven through signed Slack requests, against fabric8's mock API server with a fake
 * controller (ReplicaSets per template, replica status, pods that never pull their image).
 */
class KubernetesRollbackIT {
    private static final String APPROVE = "rollback_approve";
    private static FakeCluster cluster;
    private static ColourServer app;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        cluster = new FakeCluster();
        app = new ColourServer("ok");
        slack = new FakeSlack();
        bot = TestBot.startWithEnv("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                services:
                  api:      {platform: kubernetes, namespace: prod, deployment: api, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 20s}
                  named:    {platform: kubernetes, namespace: prod, deployment: named, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 20s}
                  stuck:    {platform: kubernetes, namespace: prod, deployment: stuck, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 2s}
                  moved:    {platform: kubernetes, namespace: prod, deployment: moved, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 20s}
                  urgent:   {platform: kubernetes, namespace: prod, deployment: urgent, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 20s}
                """.formatted(app.port()), slack, null, Map.of("KUBECONFIG", cluster.kubeconfig()));
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
        app.close();
        cluster.close();
    }

    /** v1 then v2 rolled out: revision 1 runs reg/NAME:1, revision 2 (current) reg/NAME:2. */
    private static void twoReleases(String name, int replicas) {
        cluster.deploy("prod", name, replicas, "reg/" + name + ":1");
        TestBot.eventually(() -> cluster.rolledOut("prod", name), ok -> ok, name + " v1 rolled out");
        cluster.setImage("prod", name, "reg/" + name + ":2");
        TestBot.eventually(() -> cluster.rolledOut("prod", name), ok -> ok, name + " v2 rolled out");
    }

    @Test
    void manualRollbackUndoesToThePreviousRevisionAndWaitsForTheRollout() {
        twoReleases("api", 3);
        bot.slack().command("U0DEV", "manual api checkout 500s");
        String ts = bot.awaitCard("api");
        assertThat(slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().blocks())
                .contains("revision 2 (reg/api:2)", "revision 1 (reg/api:1)");
        bot.awaitCardShows(ts, "read the ReplicaSet of revision 1 (reg/api:1)"); // while the approval waits
        long id = bot.incidentOf(ts);
        cluster.holdAt("prod", "api", 1); // the rollout stays at 1 of 3 new pods until the thread has shown it
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "⏳ Step 2/4: 1/3 pods ready");
        cluster.release("prod", "api");

        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(cluster.image("prod", "api")).isEqualTo("reg/api:1");
        assertThat(cluster.rolledOut("prod", "api")).isTrue();
        String thread = slack.thread(ts);
        assertThat(thread).containsPattern("⏳ Step 2/4: 1/3 pods ready \\(1 updated") // progress as its own reply, while it waits
                .contains("3/3 pods ready", "rollout of revision 1 (reg/api:1) complete", "answered 200");

        var history = bot.slack().command("U0DEV", "history api");
        assertThat(bot.awaitResponse(history.responseUrl())).contains("revision 2 (reg/api:2)", "revision 3 (reg/api:1)");

        // /rollback validate on Kubernetes: no approval, the revision it runs on the card, nothing changed
        bot.slack().command("U0DEV", "validate api");
        String vts = TestBot.eventually(() -> slack.postedCards().stream().filter(c -> c.call().text().contains("Validation of api requested"))
                .map(c -> c.ts()).findFirst(), java.util.Optional::isPresent, "the card of the validation of api").orElseThrow();
        bot.awaitReply(vts, "succeeded");
        assertThat(slack.thread(vts)).contains("Validation started: `api` runs `revision 3 (reg/api:1)`", "✅ api, health URL answers 200");
        assertThat(cluster.image("prod", "api")).isEqualTo("reg/api:1");
    }

    @Test
    void toAnUnknownRevisionIsAClearErrorAndToAKnownOneRollsThere() {
        twoReleases("named", 2);
        cluster.setImage("prod", "named", "reg/named:3");
        TestBot.eventually(() -> cluster.rolledOut("prod", "named"), ok -> ok, "named v3 rolled out");

        var bad = bot.slack().command("U0DEV", "manual named --to 9");
        assertThat(bot.awaitResponse(bad.responseUrl())).contains("has no revision 9", "revision 1 (reg/named:1)");
        assertThat(cluster.image("prod", "named")).isEqualTo("reg/named:3");

        bot.slack().command("U0DEV", "manual named --to 1");
        String ts = bot.awaitCard("named");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(cluster.image("prod", "named")).isEqualTo("reg/named:1");
    }

    @Test
    void aRolloutThatNeverCompletesIsPutBackWithThePodsReasons() {
        twoReleases("stuck", 2);
        cluster.neverReady("reg/stuck:1"); // the old image is gone from the registry
        bot.slack().command("U0DEV", "manual stuck");
        String ts = bot.awaitCard("stuck");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        String thread = slack.thread(ts);
        assertThat(thread).contains("did not complete within 2s", "ImagePullBackOff", "reg/stuck:1", "Recovery",
                "live now: deployment prod/stuck runs revision 2 (reg/stuck:2) again");
        assertThat(cluster.image("prod", "stuck")).isEqualTo("reg/stuck:2");
        TestBot.eventually(() -> cluster.rolledOut("prod", "stuck"), ok -> ok, "stuck back on v2");
        bot.awaitCardShows(ts, "Failed");
    }

    @Test
    void aDeploymentChangedSinceApprovalIsNotTouched() {
        twoReleases("moved", 2);
        bot.slack().command("U0DEV", "manual moved");
        String ts = bot.awaitCard("moved");
        long id = bot.incidentOf(ts);
        cluster.setImage("prod", "moved", "reg/moved:3"); // someone deploys while the card waits
        TestBot.eventually(() -> cluster.rolledOut("prod", "moved"), ok -> ok, "moved v3 rolled out");

        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("changed since the rollback was approved", "reg/moved:3", "nothing was changed")
                .doesNotContain("Recovery");
        assertThat(cluster.image("prod", "moved")).isEqualTo("reg/moved:3");
    }

    @Test
    void emergencyRunsTheRunbookStepsWithKubernetesActions() {
        twoReleases("urgent", 2);
        bot.slack().command("U0DEV", "emergency urgent everything is on fire");
        String ts = bot.awaitCard("urgent");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(cluster.image("prod", "urgent")).isEqualTo("reg/urgent:1");
        assertThat(slack.thread(ts)).contains("Restore the previous version", "Wait for the rollout", "Verify urgent");
    }
}
