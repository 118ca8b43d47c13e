package dev.rollbackbot.bench;

import static org.awaitility.Awaitility.await;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.Json;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot as the README runs it ({@code bin/rollback-bot}: its own JVM, the class data archive, C1), with an embedded H2
 * database in a temporary folder, talking to a fake Slack in this JVM; driven by signed requests like Slack drives it.
 * A benchmark of the bot's speed measures this process, not a bot sharing the benchmark's JVM, its JIT threads and
 * its fake Slack.
 */
final class BotProcess implements AutoCloseable {
    static final String SECRET = "bench-signing-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final FakeSlack slack;
    private final SlackSender sender;
    private final Path dir;

    private BotProcess(Process process, FakeSlack slack, int port, Path dir) {
        this.process = process;
        this.slack = slack;
        this.dir = dir;
        this.sender = new SlackSender(URI.create("http://127.0.0.1:" + port + "/slack/events"), SECRET, slack);
    }

    static BotProcess start(String configYaml, FakeSlack slack, String dockerHost) throws Exception {
        Path dir = Files.createTempDirectory("rbt-bench-bot");
        Path config = Files.writeString(dir.resolve("rollback-bot.yml"), configYaml);
        int port = TestEngine.freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin/rollback-bot").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("bot.log").toFile());
        pb.environment().put("SLACK_SIGNING_SECRET", SECRET);
        pb.environment().put("SLACK_BOT_TOKEN", "xoxb-bench");
        pb.environment().put("SLACK_API_URL", slack.apiUrl());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        pb.environment().put("ROLLBACK_BOT_CONFIG", config.toAbsolutePath().toString());
        pb.environment().put("JAVA_OPTS", System.getProperty("bench.botOpts", ""));
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!answers(port)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("the bot did not become ready; see " + dir.resolve("bot.log"));
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return new BotProcess(p, slack, port, dir);
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 250);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes());
            return new String(s.getInputStream().readAllBytes()).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    SlackSender slack() {
        return sender;
    }

    Path log() {
        return dir.resolve("bot.log");
    }

    /** Waits for the n-th (0-based) approval card of {@code target} and returns its ts. */
    String awaitCard(String target, int nth) {
        String needle = "rollback of " + target + " requested";
        await().atMost(WAIT).alias("approval card #" + nth + " for " + target).until(() ->
                slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).count() > nth);
        return slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).toList().get(nth).ts();
    }

    /** The incident number shown on the card posted at {@code ts}. */
    long incidentOf(String ts) {
        String text = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().text();
        Matcher m = Pattern.compile("INC-(\\d+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no incident id on card: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    void awaitReply(String ts, String text) {
        await().atMost(WAIT).alias("a reply containing '" + text + "' in thread " + ts)
                .until(() -> slack.threadReplies(ts).stream().anyMatch(c -> c.text().contains(text)));
    }

    void awaitCardShows(String ts, String text) {
        await().atMost(WAIT).alias("card " + ts + " showing '" + text + "'").until(() -> {
            List<SlackCall> u = slack.updates(ts);
            return !u.isEmpty() && u.get(u.size() - 1).all().contains(text);
        });
    }

    String awaitResponse(String responseUrl) {
        await().atMost(WAIT).alias("an answer at " + responseUrl).until(() -> !slack.responsesTo(responseUrl).isEmpty());
        return String.join("\n", slack.responsesTo(responseUrl).stream().map(Json::texts).toList());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the launcher execs java
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
