package dev.rollbackbot.bench;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a replica is out of service when it (re)starts: {@code java -jar target/rollback-bot.jar}, with the shipped
 * configuration, the embedded H2 database and a fake Slack, from the process start to {@code /health} answering 200.
 * The first start makes a new database; the five after it restart on it, as a replica does. Each is stopped with
 * SIGTERM before the next.
 */
public final class StartupBenchmark {
    private static final int RESTARTS = 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(100)).build();

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/rollback-bot.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: mvn -q -DskipTests package");
        }
        TestEngine engine = TestEngine.require();
        Path dir = Files.createTempDirectory("rbt-startup");
        try (FakeSlack slack = new FakeSlack()) {
            long first = start(jar, dir, slack, engine.host());
            List<Long> restarts = new ArrayList<>();
            for (int i = 0; i < RESTARTS; i++) {
                restarts.add(start(jar, dir, slack, engine.host()));
            }
            Collections.sort(restarts);
            System.out.printf(Locale.ROOT, "%-70s %8d ms%n", "start-up to /health 200, first start (new H2 database)", first);
            System.out.printf(Locale.ROOT, "%-70s n=%-4d p50=%8d ms  max=%8d ms  all=%s%n",
                    "start-up to /health 200, restart on the same database", restarts.size(), restarts.get(restarts.size() / 2),
                    restarts.get(restarts.size() - 1), restarts);
        }
    }

    private static long start(Path jar, Path dir, FakeSlack slack, String dockerHost) throws Exception {
        int port = TestEngine.freePort();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("bot.log").toFile());
        pb.environment().put("SLACK_SIGNING_SECRET", "bench-secret");
        pb.environment().put("SLACK_BOT_TOKEN", "xoxb-bench");
        pb.environment().put("SLACK_API_URL", slack.apiUrl());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().put("ROLLBACK_BOT_CONFIG", Path.of("config/rollback-bot.yml").toAbsolutePath().toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = t0 + Duration.ofSeconds(60).toNanos();
            while (!healthy(port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("the bot did not become ready; see " + dir.resolve("bot.log"));
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            p.destroy(); // SIGTERM
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofMillis(250)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
