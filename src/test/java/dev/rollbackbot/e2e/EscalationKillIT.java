package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar killed outright (SIGKILL, no shutdown hook) between two escalation levels: the page that fell due
 * while nothing ran fires once, promptly, when the bot starts again on the same database.
 */
class EscalationKillIT {
    private static final int WEB_PORT = TestEngine.freePort();
    private static final int BOT_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static Path dir;
    private static Process process;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.run("rbt-kill-web", WEB_V2, WEB_PORT, Map.of(), Map.of());
        slack = new FakeSlack();
        dir = Files.createTempDirectory("rollback-kill");
        Files.writeString(dir.resolve("rollback-bot.yml"), """
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD], expire-after: 10m}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 3s}
                    - {name: L2, role: Technical Lead, notify: [U0TECH], respond-within: 1h}
                services:
                  web: {platform: docker, container: rbt-kill-web, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                """.formatted(WEB_PORT));
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
            engine.removeAll("rbt-kill-");
        }
    }

    private static Process startJar(String log) throws Exception {
        Path jar = Path.of("target/rollback-bot.jar");
        assertThat(jar).as("run `mvn package` first").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        pb.environment().putAll(Map.of(
                "SLACK_SIGNING_SECRET", TestBot.SECRET,
                "SLACK_BOT_TOKEN", "xoxb-test-token",
                "SLACK_API_URL", slack.apiUrl(),
                "PORT", String.valueOf(BOT_PORT),
                "ROLLBACK_BOT_CONFIG", dir.resolve("rollback-bot.yml").toString(),
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents"),
                "DOCKER_HOST", engine.host()));
        Process p = pb.start();
        TestBot.eventually(EscalationKillIT::health, s -> s == 200, "the jar's /health answering 200 (" + log + ")");
        return p;
    }

    private static int health() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + BOT_PORT + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<SlackCall> pages(String ts, String role) {
        return slack.threadReplies(ts).stream().filter(c -> c.text().contains("(" + role + ")")).toList();
    }

    @Test
    void aPageThatFellDueWhileTheBotWasKilledFiresOncePromptlyAfterItStartsAgain() throws Exception {
        process = startJar("first.log");
        SlackSender sender = new SlackSender(URI.create("http://127.0.0.1:" + BOT_PORT + "/slack/events"), TestBot.SECRET, slack);
        sender.command("U0DEV", "emergency web checkout 500s");
        String needle = "rollback of web requested";
        TestBot.eventually(() -> slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).count(), n -> n > 0,
                "the card");
        String ts = slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).findFirst().orElseThrow().ts();
        TestBot.eventually(() -> pages(ts, "DevOps Engineer").size(), n -> n == 1, "the L1 page");

        process.destroyForcibly(); // SIGKILL: no shutdown hook, nothing closed
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        long killedAt = System.nanoTime();
        // L2 falls due 3 s after L1 while nothing runs
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> System.nanoTime() - killedAt > Duration.ofSeconds(5).toNanos());
        assertThat(pages(ts, "Technical Lead")).isEmpty();

        process = startJar("second.log");
        long ready = System.nanoTime();
        TestBot.eventually(() -> pages(ts, "Technical Lead").size(), n -> n >= 1, "the overdue L2 page after the restart");
        Duration late = Duration.ofNanos(System.nanoTime() - ready);
        assertThat(late).as("from /health 200 to the overdue page").isLessThan(Duration.ofSeconds(2));
        TestBot.stays("the overdue page fires once", () -> assertThat(pages(ts, "Technical Lead")).hasSize(1));
        assertThat(pages(ts, "DevOps Engineer")).as("L1 is not sent again").hasSize(1);
    }
}
