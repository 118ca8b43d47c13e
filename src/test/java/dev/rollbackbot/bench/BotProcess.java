package dev.rollbackbot.bench;

import dev.rollbackbot.testing.CardWatch;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
    private final SlackSender sender;
    private final Path dir;
    private final CardWatch watch;

    private BotProcess(Process process, FakeSlack slack, int port, Path dir) {
        this.process = process;
        this.dir = dir;
        this.sender = new SlackSender(URI.create("http://127.0.0.1:" + port + "/slack/events"), SECRET, slack);
        this.watch = new CardWatch(slack, Duration.ofSeconds(30));
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
        while (!HealthProbe.answers(port, "", Duration.ofSeconds(2))) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("the bot did not become ready; see " + dir.resolve("bot.log"));
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return new BotProcess(p, slack, port, dir);
    }

    SlackSender slack() {
        return sender;
    }

    Path log() {
        return dir.resolve("bot.log");
    }

    /** What the bot posted to the fake Slack, to wait on. */
    CardWatch watch() {
        return watch;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the launcher execs java
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
