package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.FLAKY_V1;
import static dev.rollbackbot.testing.TestEngine.FLAKY_V2;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Manual Docker rollbacks driven through signed Slack requests, against a real engine (podman). */
class DockerRollbackIT {
    private static final String APPROVE = "rollback_approve";
    private static final int WEB_PORT = TestEngine.freePort();
    private static final int FLAKY_PORT = TestEngine.freePort();
    private static final int SELF_PORT = TestEngine.freePort();

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
                  approvers: [U0LEAD, U0LEAD2]
                  required: {manual: 1}
                services:
                  web:
                    platform: docker
                    container: rbt-web
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                  flaky:
                    platform: docker
                    container: rbt-flaky
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 3s
                  selfie:
                    platform: docker
                    container: rbt-selfie
                    health-url: http://127.0.0.1:%d/health
                """.formatted(WEB_PORT, FLAKY_PORT, SELF_PORT), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-web", bot, slack); // its own containers only: other sessions may use rbt- too
        if (engine != null) {
            engine.removeAll("rbt-flaky");
            engine.removeAll("rbt-selfie");
        }
    }

    @Test
    void approvedManualRollbackRecreatesTheContainerFromThePreviousImageWithTheSameSettings() throws Exception {
        java.nio.file.Path configDir = java.nio.file.Files.createTempDirectory("rbt-web-config");
        engine.runWithSettings("rbt-web", WEB_V2, WEB_PORT, "rbt-net", "rbt-web-data", configDir);
        InspectContainerResponse before = engine.inspect("rbt-web");
        TestBot.eventually(() -> health(WEB_PORT), b -> b.contains("ok v2"), "web v2 healthy");

        var ack = bot.slack().command("U0DEV", "manual web checkout 500s after the deploy");
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).contains("Got it");

        String ts = bot.awaitCard("web");
        SlackCall card = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call();
        assertThat(card.blocks()).contains("\"Approve\"", "\"Deny\"", WEB_V2, WEB_V1, "checkout 500s after the deploy");
        assertThat(card.text()).contains("requested by <@U0DEV>");
        long id = bot.incidentOf(ts);

        assertThat(bot.slack().click("U0LEAD", APPROVE, id, ts).status()).isEqualTo(200);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        InspectContainerResponse now = engine.inspect("rbt-web");
        assertThat(now.getConfig().getImage()).isEqualTo(WEB_V1);
        assertThat(now.getState().getRunning()).isTrue();
        assertThat(health(WEB_PORT)).contains("ok v1");
        List<String> env = Arrays.asList(now.getConfig().getEnv());
        assertThat(env).contains("FEATURE_FLAGS=checkout-v2", "APP_VERSION=v1").doesNotContain("APP_VERSION=v2");
        assertThat(now.getConfig().getLabels()).containsEntry("team", "payments")
                .containsEntry("org.opencontainers.image.version", "v1");
        assertThat(now.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(now.getHostConfig().getPortBindings().getBindings().values().iterator().next()[0].getHostPortSpec())
                .isEqualTo(String.valueOf(WEB_PORT));
        assertThat(engine.namesStartingWith("rbt-web")).containsExactly("rbt-web");
        assertThat(now.getConfig().getCmd()).containsExactly("/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www");
        assertThat(now.getNetworkSettings().getNetworks().keySet()).containsExactly("rbt-net")
                .isEqualTo(before.getNetworkSettings().getNetworks().keySet());
        assertThat(mounts(now)).isEqualTo(mounts(before)).contains("/data <- rbt-web-data rw", "/config <- " + configDir + " ro");

        assertThat(slack.thread(ts)).contains("Approved by <@U0LEAD>", "Step 1/4", "Step 2/4", "Step 3/4 done",
                "Step 4/4 done");
        bot.awaitCardShows(ts, "Succeeded");
    }

    @Test
    void aPreviousImageThatNeverGetsHealthyPutsTheOldContainerBackAndFailsTheIncident() throws Exception {
        engine.run("rbt-flaky", FLAKY_V2, FLAKY_PORT, Map.of(), Map.of());
        TestBot.eventually(() -> health(FLAKY_PORT), b -> b.contains("ok v2"), "flaky v2 healthy");

        bot.slack().command("U0DEV", "manual flaky");
        String ts = bot.awaitCard("flaky");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(engine.imageOf("rbt-flaky")).isEqualTo(FLAKY_V2);
        assertThat(engine.running("rbt-flaky")).isTrue();
        assertThat(health(FLAKY_PORT)).contains("ok v2");
        assertThat(engine.namesStartingWith("rbt-flaky")).containsExactly("rbt-flaky");
        String thread = slack.thread(ts);
        assertThat(thread).contains("did not answer 200", FLAKY_V1, "Recovery", "runs " + FLAKY_V2 + " again");
        bot.awaitCardShows(ts, "Failed");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRollback() throws Exception {
        engine.run("rbt-selfie", WEB_V2, SELF_PORT, Map.of(), Map.of());
        var ack = bot.slack().command("U0LEAD", "manual selfie");
        String ts = bot.awaitCard("selfie");
        long id = bot.incidentOf(ts);

        var click = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("cannot approve it", "self-approval is off");
        assertThat(engine.imageOf("rbt-selfie")).isEqualTo(WEB_V2);
        assertThat(slack.threadReplies(ts)).isEmpty();
        assertThat(ack.status()).isEqualTo(200);

        bot.slack().command("U0LEAD", "cancel INC-" + id);
        bot.awaitCardShows(ts, "Cancelled");
    }

    private static java.util.Set<String> mounts(InspectContainerResponse c) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (InspectContainerResponse.Mount m : c.getMounts()) {
            String source = m.getName() != null && !m.getName().isEmpty() ? m.getName() : m.getSource();
            out.add(m.getDestination().getPath() + " <- " + source + (Boolean.TRUE.equals(m.getRW()) ? " rw" : " ro"));
        }
        return out;
    }

    static String health(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "down: " + e;
        }
    }
}
