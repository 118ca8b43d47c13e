package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.FLAKY_V1;
import static dev.rollbackbot.testing.TestEngine.FLAKY_V2;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code target/rollback-bot.jar}, started with the runtime contract's environment and driven over
 * HTTP alone; then stopped with SIGTERM while a rollback is half-way.
 */
class RunnableJarIT {
    private static final int WEB_PORT = TestEngine.freePort();
    private static final int SLOW_PORT = TestEngine.freePort();
    private static final int BOT_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static Process process;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.run("rbt-jar-web", WEB_V2, WEB_PORT, Map.of(), Map.of());
        engine.run("rbt-jar-slow", FLAKY_V2, SLOW_PORT, Map.of(), Map.of());
        slack = new FakeSlack();
        dir = Files.createTempDirectory("rollback-jar");
        Path config = dir.resolve("rollback-bot.yml");
        Files.writeString(config, """
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  web: {platform: docker, container: rbt-jar-web, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  slow: {platform: docker, container: rbt-jar-slow, health-url: "http://127.0.0.1:%d/health", ready-timeout: 120s}
                """.formatted(WEB_PORT, SLOW_PORT));
        Path jar = Path.of("target/rollback-bot.jar");
        assertThat(jar).as("run `mvn package` first").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("bot.log").toFile());
        pb.environment().putAll(Map.of(
                "SLACK_SIGNING_SECRET", TestBot.SECRET,
                "SLACK_BOT_TOKEN", "xoxb-test-token",
                "SLACK_API_URL", slack.apiUrl(),
                "PORT", String.valueOf(BOT_PORT),
                "ROLLBACK_BOT_CONFIG", config.toString(),
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents"),
                "DOCKER_HOST", engine.host(),
                "SHUTDOWN_GRACE", "1s"));
        process = pb.start();
        TestBot.eventually(RunnableJarIT::health, s -> s == 200, "the jar's /health answering 200");
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (slack != null) {
            slack.close();
        }
        if (engine != null) {
            engine.removeAll("rbt-jar-");
        }
    }

    static int health() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + BOT_PORT + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void theJarRunsARollbackThroughHttpAloneAndStopsGracefullyOnSigterm() throws Exception {
        SlackSender sender = new SlackSender(URI.create("http://127.0.0.1:" + BOT_PORT + "/slack/events"), TestBot.SECRET, slack);

        assertThat(sender.command("U0DEV", "manual web").text()).contains("Got it");
        String ts = awaitCard("web");
        sender.click("U0LEAD", "rollback_approve", incidentOf(ts), ts);
        TestBot.eventually(() -> slack.thread(ts), t -> t.contains("succeeded"), "web rolled back");
        assertThat(engine.imageOf("rbt-jar-web")).isEqualTo(WEB_V1);

        sender.command("U0DEV", "manual slow");
        String slowTs = awaitCard("slow");
        long slowId = incidentOf(slowTs);
        sender.click("U0LEAD", "rollback_approve", slowId, slowTs);
        TestBot.eventually(() -> slack.thread(slowTs), t -> t.contains("Step 3/4: Verify"), "the slow rollback waiting for health");

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the bot exits after SIGTERM").isTrue();
        // the new version was already running: it is left running (health unproven), the old container kept, and
        // the record says exactly that and how to put the old one back
        String thread = slack.thread(slowTs);
        String kept = "rbt-jar-slow-before-inc-" + slowId;
        assertThat(thread).contains("Step 3/4 failed", "interrupted: the bot is stopping", "INC-" + slowId + " interrupted",
                "was not yet seen healthy", "kept, stopped, as " + kept, "docker rename " + kept + " rbt-jar-slow")
                .doesNotContain("Recovery");
        assertThat(engine.imageOf("rbt-jar-slow")).isEqualTo(FLAKY_V1);
        assertThat(engine.running("rbt-jar-slow")).isTrue();
        assertThat(engine.namesStartingWith("rbt-jar-slow")).containsExactly("rbt-jar-slow", kept);
        assertThat(engine.imageOf(kept)).isEqualTo(FLAKY_V2);
        assertThat(engine.running(kept)).isFalse();
        assertThat(Files.readString(dir.resolve("bot.log"))).contains("stopping", "stopped");
    }

    private static String awaitCard(String target) {
        String needle = "rollback of " + target + " requested";
        TestBot.eventually(() -> slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).count(),
                n -> n > 0, "card for " + target);
        List<FakeSlack.Card> cards = slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).toList();
        return cards.get(0).ts();
    }

    private static long incidentOf(String ts) {
        String text = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().text();
        return Long.parseLong(text.substring(4, text.indexOf(':')));
    }
}
