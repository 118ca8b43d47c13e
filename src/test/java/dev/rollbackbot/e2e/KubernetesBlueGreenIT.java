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
 * Blue-green by a Kubernetes Service's selector, driven through signed Slack requests, against fabric8's mock API
 * server (CRUD mode) with the fake controller: the target colour must be fully ready, the selector is switched, and put
 * back when the health check fails.
 */
class KubernetesBlueGreenIT {
    private static final String APPROVE = "rollback_approve";
    private static FakeCluster cluster;
    private static ColourServer ok;
    private static ColourServer down;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        cluster = new FakeCluster();
        ok = new ColourServer("ok");
        down = new ColourServer("down");
        down.answer(503);
        slack = new FakeSlack();
        bot = TestBot.startWithEnv("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                services:
                  web:   {platform: kubernetes, namespace: prod, health-url: "http://127.0.0.1:%1$d/health", ready-timeout: 5s, blue-green: {via: service, service: web}}
                  slow:  {platform: kubernetes, namespace: prod, health-url: "http://127.0.0.1:%1$d/health", blue-green: {via: service, service: slow}}
                  sick:  {platform: kubernetes, namespace: prod, health-url: "http://127.0.0.1:%2$d/health", ready-timeout: 1s, blue-green: {via: service, service: sick, selector-key: track, colours: [stable, canary]}}
                  plain: {platform: kubernetes, namespace: prod, health-url: "http://127.0.0.1:%1$d/health", blue-green: {via: service, service: plain}}
                """.formatted(ok.port(), down.port()), slack, null, Map.of("KUBECONFIG", cluster.kubeconfig()));
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
        ok.close();
        down.close();
        cluster.close();
    }

    private static void blueAndGreen(String app, String greenImage) {
        cluster.deployColour("prod", app, "blue", 3, "reg/" + app + ":1");
        cluster.deployColour("prod", app, "green", 3, greenImage);
        cluster.service("prod", app, Map.of("app", app, "colour", "blue"));
        TestBot.eventually(() -> cluster.rolledOut("prod", app + "-blue"), r -> r, app + "-blue rolled out");
    }

    @Test
    void anApprovedSwitchPatchesTheSelectorOnceTheOtherColourIsReadyAndRecordsIt() {
        blueAndGreen("web", "reg/web:2");
        TestBot.eventually(() -> cluster.rolledOut("prod", "web-green"), r -> r, "web-green rolled out");
        bot.slack().command("U0DEV", "blue-green web");
        String ts = bot.awaitCard("web");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(cluster.selector("prod", "web")).containsEntry("colour", "green").containsEntry("app", "web");
        assertThat(slack.thread(ts)).contains("green is fully ready", "prod/web-green: 3/3 pods ready",
                "now selects app=web,colour=green", "live colour: green");
        assertThat(bot.count("select count(*) from live_colours where service = 'web' and colour = 'green' and incident_id = ?", id))
                .isEqualTo(1);
        var history = bot.slack().command("U0DEV", "history web");
        assertThat(bot.awaitResponse(history.responseUrl())).contains("Live colour: *green* since", "(switched by INC-" + id + ")");
        var status = bot.slack().command("U0DEV", "status");
        assertThat(bot.awaitResponse(status.responseUrl())).contains("*Live colours*", "`web` *green* since");
    }

    @Test
    void aTargetColourThatIsNotReadyIsNotSwitchedTo() {
        cluster.neverReady("reg/slow:2");
        blueAndGreen("slow", "reg/slow:2");
        bot.slack().command("U0DEV", "blue-green slow");
        String ts = bot.awaitCard("slow");
        assertThat(slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().blocks())
                .contains("green is not fully ready now");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("green is not fully ready, so the selector was not switched", "traffic stays on blue")
                .doesNotContain("Recovery");
        assertThat(cluster.selector("prod", "slow")).containsEntry("colour", "blue");
    }

    @Test
    void aColourThatFailsTheHealthCheckIsSwitchedBack() {
        cluster.deployColour("prod", "sick", "stable", 2, "reg/sick:1");
        cluster.deployColour("prod", "sick", "canary", 2, "reg/sick:2");
        cluster.service("prod", "sick", Map.of("app", "sick", "track", "stable"));
        TestBot.eventually(() -> cluster.rolledOut("prod", "sick-canary"), r -> r, "sick-canary rolled out");
        // deployColour labels pods "colour": this Service switches on "track", so give the canary pods that label too
        cluster.client().apps().deployments().inNamespace("prod").withName("sick-canary").edit(d -> {
            d.getSpec().getTemplate().getMetadata().getLabels().put("track", "canary");
            return d;
        });
        bot.slack().command("U0DEV", "blue-green sick");
        String ts = bot.awaitCard("sick");
        long id = bot.incidentOf(ts);
        TestBot.eventually(() -> cluster.rolledOut("prod", "sick-canary"), r -> r, "sick-canary rolled out again");
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("did not answer 200", "Recovery", "live now: traffic goes to stable again",
                "selects app=sick,track=stable again");
        assertThat(cluster.selector("prod", "sick")).containsEntry("track", "stable");
    }

    @Test
    void aSelectorNamingNoColourIsRefusedBeforeApproval() {
        cluster.service("prod", "plain", Map.of("app", "plain"));
        var ack = bot.slack().command("U0DEV", "blue-green plain");
        assertThat(bot.awaitResponse(ack.responseUrl())).contains("`colour` label names no colour", "nothing was planned");
        assertThat(cluster.selector("prod", "plain")).isEqualTo(Map.of("app", "plain"));
    }
}
