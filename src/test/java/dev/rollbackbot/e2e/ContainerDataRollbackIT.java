package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL restore with the clients inside the datastore's container (a PostgreSQL container on podman built
 * from this host's server): pg_dump and psql through exec, SQL files through the archive API.
 */
class ContainerDataRollbackIT {
    private static final String PG = "rbt-i8-pg";
    private static final String DB = "rbt_i8_box";

    private static TestEngine engine;
    private static DockerJavaEngine docker;
    private static FakeSlack slack;
    private static TestBot bot;
    private static Path backups;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.buildPostgres();
        engine.runPostgres(PG);
        docker = DockerJavaEngine.connect(engine.host());
        TestBot.eventually(() -> docker.exec(PG, List.of("pg_isready", "-U", "postgres"), Duration.ofSeconds(5)).exitCode(), c -> c == 0,
                "PostgreSQL in " + PG + " accepting connections");
        psql("postgres", "create database " + DB);
        psql(DB, "create table visits (id int primary key, who text)");
        psql(DB, "insert into visits values (1, 'ann'), (2, 'bob')");
        backups = Files.createTempDirectory("rbt-i8-box-backups");
        assertThat(docker.exec(PG, List.of("pg_dump", "-U", "postgres", "-d", DB, "-f", "/tmp/backup.sql"), Duration.ofSeconds(30))
                .exitCode()).isZero();
        Path sql = Files.createTempFile("rbt-i8-box", ".sql");
        assertThat(docker.copyOut(PG, "/tmp/backup.sql", sql)).isTrue();
        try (var out = new GZIPOutputStream(Files.newOutputStream(backups.resolve("box-nightly.sql.gz")))) {
            Files.copy(sql, out);
        }
        psql(DB, "delete from visits where who = 'bob'");
        psql(DB, "insert into visits values (3, 'mallory')");
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD, U0SRE]}
                services:
                  app: {platform: docker, container: rbt-i8-box-app, health-url: "http://127.0.0.1:9/"}
                datastores:
                  box: {type: postgres, container: %s, database: %s, user: postgres, backups: %s, min-tables: 1}
                """.formatted(PG, DB, backups), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, PG, bot, slack, docker);
    }

    private static String psql(String db, String sql) {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d", db, "-c", sql));
        ContainerEngine.ExecResult r = docker.exec(PG, cmd, Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(sql + ": " + r.output());
        }
        return r.output().strip();
    }

    @Test
    void aRestoreRunsItsClientsInsideTheContainerAndKeepsThePreviousData() {
        bot.slack().command("U0DEV", "data box bob's visit vanished");
        String ts = bot.awaitCard("box");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", "rollback_approve", id, ts);
        bot.slack().click("U0SRE", "rollback_approve", id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(psql(DB, "select string_agg(who, ',' order by id) from visits")).isEqualTo("ann,bob");
        assertThat(psql(DB + "_pre_inc_" + id, "select string_agg(who, ',' order by id) from visits")).isEqualTo("ann,mallory");
        assertThat(backups.resolve("box-pre-inc-" + id + ".sql.gz")).exists();
        assertThat(slack.thread(ts)).contains("kept the live data as", "complete)", "renamed " + DB + " to " + DB + "_pre_inc_" + id);
    }
}
