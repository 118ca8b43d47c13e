package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/rollback-bot} as a user runs it: the first start after a build records the start-up classes in
 * {@code target/rollback-bot.jsa}, later starts map that archive (checked with {@code -Xshare:on}, which refuses to
 * start on an archive it cannot use), and a recording that fails leaves no archive behind.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target/rollback-bot.jar");
    private static final Path ARCHIVE = Path.of("target/rollback-bot.jsa");

    private FakeSlack slack;
    private Path dir;
    private Process process;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(JAR).as("run `mvn package` first").exists();
        FileTime built = Files.getLastModifiedTime(JAR);
        try (Stream<Path> sources = Files.walk(Path.of("src/main"))) {
            // a stale jar would make the launcher run Maven inside this test
            assertThat(sources.filter(Files::isRegularFile).filter(p -> newer(p, built)).findFirst())
                    .as("sources newer than the jar: run `mvn package` first").isEmpty();
        }
        Files.deleteIfExists(ARCHIVE);
        slack = new FakeSlack();
        dir = Files.createTempDirectory("rollback-launcher");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stop();
        slack.close();
    }

    @Test
    void theFirstStartRecordsTheStartUpClassesAndLaterStartsUseThem() throws Exception {
        Path log = dir.resolve("first.log");
        int port = start(log, Map.of());
        awaitHealthy(port, log);
        assertThat(Files.readString(log)).contains("recording the classes start-up loads");
        assertThat(ARCHIVE).isNotEmptyFile();
        try (Stream<Path> left = Files.list(Path.of("target"))) {
            assertThat(left.map(Path::toString).filter(n -> n.endsWith(".tmp"))).as("temporary archives").isEmpty();
        }
        stop();

        Path again = dir.resolve("again.log");
        int second = start(again, Map.of("JAVA_OPTS", "-Xshare:on"));
        awaitHealthy(second, again);
        assertThat(Files.readString(again)).doesNotContain("recording the classes").contains("rollback bot ready");
    }

    @Test
    void aRecordingThatFailsLeavesNoArchiveAndTheBotSaysWhatIsWrong() throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, "services: [this is not a map\n");
        Path log = dir.resolve("broken.log");
        start(log, Map.of("ROLLBACK_BOT_CONFIG", broken.toString()));
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the bot exits on a broken configuration").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("could not record the start-up classes", "rollback-bot cannot start");
        assertThat(ARCHIVE).doesNotExist();
        try (Stream<Path> left = Files.list(Path.of("target"))) {
            assertThat(left.map(Path::toString).filter(n -> n.endsWith(".tmp"))).as("temporary archives").isEmpty();
        }
    }

    private int start(Path log, Map<String, String> extra) throws IOException {
        int port = TestEngine.freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin/rollback-bot").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of(
                "SLACK_SIGNING_SECRET", TestBot.SECRET,
                "SLACK_BOT_TOKEN", "xoxb-test-token",
                "SLACK_API_URL", slack.apiUrl(),
                "PORT", String.valueOf(port),
                "ROLLBACK_BOT_CONFIG", Path.of("config/rollback-bot.yml").toAbsolutePath().toString(),
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents")));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(extra);
        process = pb.start();
        return port;
    }

    private void awaitHealthy(int port, Path log) {
        TestBot.eventually(() -> process.isAlive() ? health(port) : -2, s -> s == 200 || s == -2,
                "/health 200 or the bot exiting (" + log + ")");
        assertThat(process.isAlive()).as("the bot is running; its log: " + log).isTrue();
    }

    private void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean newer(Path p, FileTime than) {
        try {
            return Files.getLastModifiedTime(p).compareTo(than) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int health(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
