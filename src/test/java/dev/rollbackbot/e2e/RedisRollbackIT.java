package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import dev.rollbackbot.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Redis restores in a container on podman (an image made of this host's redis-server), through the Docker archive API,
 * driven through signed Slack requests with two approvers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRollbackIT {
    private static final String APPROVE = "rollback_approve";
    private static final String REDIS = "rbt-i8-redis";

    private static TestEngine engine;
    private static DockerJavaEngine docker;
    private static FakeSlack slack;
    private static TestBot bot;
    private static Path backups;
    private static final int HOST_PORT = TestEngine.freePort();
    private static Path hostDir;
    private static Path hostBackups;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.buildRedis();
        engine.runRedis(REDIS);
        docker = DockerJavaEngine.connect(engine.host());
        TestBot.eventually(() -> cli("ping"), "PONG"::equals, "Redis in " + REDIS + " answering");
        backups = Files.createTempDirectory("rbt-i8-redis-backups");
        cli("set", "queue:1", "bakery");
        cli("set", "queue:2", "post office");
        cli("set", "session:ann", "1");
        assertThat(cli("save")).isEqualTo("OK");
        Path rdb = backups.resolve("redis-2026-11-30T01.rdb");
        assertThat(docker.copyOut(REDIS, "/data/dump.rdb", rdb)).isTrue();
        try (var out = new GZIPOutputStream(Files.newOutputStream(backups.resolve("redis-2026-11-30T02.rdb.gz")))) {
            Files.copy(rdb, out);
        }
        Files.setLastModifiedTime(backups.resolve("redis-2026-11-30T02.rdb.gz"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofMinutes(30))));
        Files.setLastModifiedTime(rdb, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(1))));
        Files.write(backups.resolve("redis-corrupt.rdb"), "REDIS0011 this is not an RDB file at all".getBytes());
        Files.setLastModifiedTime(backups.resolve("redis-corrupt.rdb"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(3))));
        // after the backup: sessions lost, a key changed
        cli("del", "session:ann");
        cli("set", "queue:2", "BROKEN");
        // a Redis on this host, on a free port with its own folder, started as the runbook's hosts run it
        hostDir = Files.createTempDirectory("rbt-i8-redis-host");
        hostBackups = Files.createTempDirectory("rbt-i8-redis-host-backups");
        TestRedis.start(HOST_PORT, hostDir);
        hostCli("set", "a", "1");
        hostCli("set", "b", "2");
        assertThat(hostCli("save")).isEqualTo("OK");
        Files.copy(hostDir.resolve("dump.rdb"), hostBackups.resolve("hostcache-nightly.rdb"));
        hostCli("flushall");
        hostCli("set", "c", "3");
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD, U0SRE]}
                services:
                  app:
                    platform: docker
                    container: rbt-i8-redis-app
                    health-url: http://127.0.0.1:9/health
                datastores:
                  cache: {type: redis, container: %s, data-dir: /data, backups: %s}
                  hostcache: {type: redis, host: 127.0.0.1, port: %d, data-dir: %s, backups: %s}
                """.formatted(REDIS, backups, HOST_PORT, hostDir, hostBackups), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hostDir != null) {
            hostCli("shutdown", "nosave");
        }
        TestEngine.cleanUp(engine, REDIS, bot, slack, docker);
    }

    private static String cli(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli"));
        cmd.addAll(List.of(args));
        ContainerEngine.ExecResult r = docker.exec(REDIS, cmd, Duration.ofSeconds(10));
        return r.output().strip();
    }

    private static String hostCli(String... args) {
        return TestRedis.cli(HOST_PORT, args);
    }

    private static String restore(String text) {
        return restore("cache", text);
    }

    private static String restore(String target, String text) {
        int before = (int) slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of " + target + " requested")).count();
        bot.slack().command("U0DEV", text);
        String ts = bot.awaitCard(target, before);
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.slack().click("U0SRE", APPROVE, id, ts);
        return ts;
    }

    @Test
    @Order(1)
    void theNewestBackupReplacesTheDataAndThePreviousRdbIsKept() throws Exception {
        assertThat(cli("dbsize")).isEqualTo("2");
        String ts = restore("data cache sessions lost");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(cli("dbsize")).isEqualTo("3");
        assertThat(cli("get", "queue:2")).isEqualTo("post office");
        assertThat(cli("get", "session:ann")).isEqualTo("1");
        Path kept = Files.createTempFile("rbt-i8-kept", ".rdb");
        assertThat(docker.copyOut(REDIS, "/data/dump.rdb.pre-inc-" + id, kept)).isTrue();
        assertThat(new String(Files.readAllBytes(kept), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("REDIS").contains("BROKEN");
        assertThat(slack.thread(ts)).contains("redis-2026-11-30T02.rdb.gz", "DBSIZE 2, saved", "kept the current dump.rdb as dump.rdb.pre-inc-" + id,
                "PONG", "DBSIZE 2 before, 3 after", "Data-loss window 30 min");
    }

    @Test
    @Order(2)
    void anRdbRedisRefusesPutsThePreviousOneBackAndStartsRedisAgain() {
        cli("set", "queue:3", "library");
        String ts = restore("data cache --backup redis-corrupt.rdb");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " failed");

        assertThat(slack.thread(ts)).contains("refused the RDB file", "put the kept dump.rdb.pre-inc-" + id + " back", "DBSIZE 4");
        assertThat(engine.running(REDIS)).isTrue();
        assertThat(cli("ping")).isEqualTo("PONG");
        assertThat(cli("get", "queue:3")).isEqualTo("library");
        assertThat(cli("dbsize")).isEqualTo("4");
    }

    @Test
    @Order(3)
    void aRedisOnTheHostIsStoppedRestoredFromItsDataDirAndStartedAgain() {
        assertThat(hostCli("dbsize")).isEqualTo("1");
        String ts = restore("hostcache", "data hostcache");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(hostCli("dbsize")).isEqualTo("2");
        assertThat(hostCli("get", "b")).isEqualTo("2");
        assertThat(hostDir.resolve("dump.rdb.pre-inc-" + id)).exists();
        assertThat(slack.thread(ts)).contains("DBSIZE 1, saved", "PONG", "DBSIZE 1 before, 2 after");
    }
}
