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
 * How long a replica is out of service when it (re)starts, from the process start to {@code /health} answering 200,
 * with the shipped configuration, the embedded H2 database and a fake Slack: started as {@code java -jar
 * target/rollback-bot.jar} and as {@code bin/rollback-bot} starts it (class data archive, C1). In each series the first
 * start makes a new database (and, for the launcher, records the class data); the five after it restart on it, as a
 * replica does. Each is stopped with SIGTERM before the next.
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
        try (FakeSlack slack = new FakeSlack()) {
            List<String> plain = List.of("java", "-jar", jar.toAbsolutePath().toString());
            report("java -jar", series(plain, slack, engine.host()));
            // the launcher records the start-up classes on its first start after a build: make this run that one
            Files.deleteIfExists(Path.of("target/rollback-bot.jsa"));
            report("bin/rollback-bot", series(List.of(Path.of("bin/rollback-bot").toAbsolutePath().toString()), slack,
                    engine.host()));
        }
    }

    private static List<Long> series(List<String> command, FakeSlack slack, String dockerHost) throws Exception {
        Path dir = Files.createTempDirectory("rbt-startup");
        List<Long> times = new ArrayList<>();
        for (int i = 0; i <= RESTARTS; i++) {
            times.add(start(command, dir, slack, dockerHost));
        }
        return times;
    }

    private static void report(String how, List<Long> times) {
        System.out.printf(Locale.ROOT, "%-70s %8d ms%n", "start-up to /health 200, " + how + ", first start (new H2 database)",
                times.get(0));
        List<Long> restarts = new ArrayList<>(times.subList(1, times.size()));
        Collections.sort(restarts);
        System.out.printf(Locale.ROOT, "%-70s n=%-4d p50=%8d ms  max=%8d ms  all=%s%n",
                "start-up to /health 200, " + how + ", restart on the same database", restarts.size(),
                restarts.get(restarts.size() / 2), restarts.get(restarts.size() - 1), restarts);
    }

    private static long start(List<String> command, Path dir, FakeSlack slack, String dockerHost) throws Exception {
        int port = TestEngine.freePort();
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("bot.log").toFile());
        pb.environment().put("SLACK_SIGNING_SECRET", "bench-secret");
        pb.environment().put("SLACK_BOT_TOKEN", "xoxb-bench");
        pb.environment().put("SLACK_API_URL", slack.apiUrl());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("rollback-bot").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE");
        pb.environment().put("ROLLBACK_BOT_CONFIG", Path.of("config/rollback-bot.yml").toAbsolutePath().toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = t0 + Duration.ofSeconds(90).toNanos();
            while (!healthy(port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("the bot did not become ready; see " + dir.resolve("bot.log"));
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            p.destroy(); // SIGTERM (the launcher execs java, so this reaches the JVM)
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
