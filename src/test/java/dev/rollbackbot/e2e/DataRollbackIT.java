package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.LocalServices;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.Services;
import dev.rollbackbot.testing.TestEngine;
import dev.rollbackbot.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restores on the real server at 127.0.0.1:5432, clients on the bot's host, driven through signed Slack
 * requests with two different approvers; a dependent Docker service (podman) is stopped for the swap.
 */
class DataRollbackIT {
    private static final String APPROVE = "rollback_approve";
    private static final String PREFIX = "rbt_i8_";
    private static final String SHOP = PREFIX + "shop";
    private static final String BAD = PREFIX + "bad";
    private static final int APP_PORT = TestEngine.freePort();
    private static final int EM_PORT = TestEngine.freePort();
    private static final String LOST = PREFIX + "lost";
    private static final String SICK = PREFIX + "sick";
    private static final int SICK_PORT = TestEngine.freePort();
    private static Path sickBackups;
    private static Path lostBackups;

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static Path shopBackups;
    private static Path badBackups;
    private static Path tightBackups;
    private static boolean tightMounted;

    @BeforeAll
    static void start() throws Exception {
        LocalServices.requirePostgres();
        engine = TestEngine.require();
        TestPostgres.dropAll(PREFIX);
        shopBackups = Files.createTempDirectory("rbt-i8-shop-backups");
        badBackups = Files.createTempDirectory("rbt-i8-bad-backups");

        TestPostgres.create(SHOP);
        TestPostgres.exec(SHOP, "create table queues (id int primary key, name text not null)",
                "create table tickets (id serial primary key, queue int references queues(id), who text)",
                "insert into queues values (1, 'bakery'), (2, 'post office')",
                "insert into tickets (queue, who) values (1, 'ann'), (1, 'bob'), (2, 'cy')");
        TestPostgres.dump(SHOP, shopBackups.resolve("shop-2026-11-30T01.sql.gz"));
        Files.setLastModifiedTime(shopBackups.resolve("shop-2026-11-30T01.sql.gz"), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        // the bad deploy: rows lost and changed after the backup
        TestPostgres.exec(SHOP, "delete from tickets where who = 'bob'", "update queues set name = 'BROKEN' where id = 2");

        TestPostgres.create(BAD);
        TestPostgres.exec(BAD, "create table keep (v text)", "insert into keep values ('live')");
        TestPostgres.dump(BAD, badBackups.resolve("bad-good.sql.gz"));
        String half = "create table keep (v text);\ninsert into keep values ('restored');\ninsert into nowhere values (1);\n"
                + "insert into keep values ('after the error');\n-- PostgreSQL database dump complete\n";
        TestPostgres.gzip(half, badBackups.resolve("bad-sqlerror.sql.gz"));
        Files.createSymbolicLink(badBackups.resolve("bad-outside.sql.gz"), shopBackups.resolve("shop-2026-11-30T01.sql.gz"));

        // a database a bad migration dropped: the emergency finds it does not accept connections and restores it
        lostBackups = Files.createTempDirectory("rbt-i8-lost-backups");
        TestPostgres.create(LOST);
        TestPostgres.exec(LOST, "create table orders (id int primary key)", "insert into orders values (1), (2), (3)");
        TestPostgres.dump(LOST, lostBackups.resolve("lost-nightly.sql.gz"));
        TestPostgres.exec("postgres", "drop database " + LOST + " with (force)");

        // a database whose dependent service never answers healthy: the swap is made, then undone
        sickBackups = Files.createTempDirectory("rbt-i8-sick-backups");
        TestPostgres.create(SICK);
        TestPostgres.exec(SICK, "create table t (v text)", "insert into t values ('backup')");
        TestPostgres.dump(SICK, sickBackups.resolve("sick-nightly.sql.gz"));
        TestPostgres.exec(SICK, "update t set v = 'live'");
        engine.run("rbt-i8-sick", TestEngine.FLAKY_V1, SICK_PORT, Map.of(), Map.of());

        // a backups folder with too little room for the dump of the live data: a 4 MB tmpfs (needs root, as CI runs)
        tightBackups = Files.createTempDirectory("rbt-i8-tight-backups");
        tightMounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", tightBackups.toString())
                .redirectErrorStream(true).start().waitFor() == 0;
        Files.copy(badBackups.resolve("bad-good.sql.gz"), tightBackups.resolve("tight-nightly.sql.gz"));

        engine.run("rbt-i8-app", TestEngine.WEB_V1, APP_PORT, Map.of(), Map.of());
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD, U0SRE]}
                services:
                  app:
                    platform: docker
                    container: rbt-i8-app
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [shop]
                  em:
                    platform: docker
                    container: rbt-i8-em
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [lost]
                  sickapp:
                    platform: docker
                    container: rbt-i8-sick
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 2s
                    depends-on: [sick]
                datastores:
                  sick: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s}
                  lost: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s, min-tables: 1}
                  shop: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s, min-tables: 2}
                  bad: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s}
                  tight: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s}
                """.formatted(APP_PORT, EM_PORT, SICK_PORT, SICK, sickBackups, LOST, lostBackups, SHOP, shopBackups, BAD, badBackups,
                BAD, tightBackups), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tightMounted) {
            new ProcessBuilder("umount", tightBackups.toString()).start().waitFor();
        }
        TestEngine.cleanUp(engine, "rbt-i8-", bot, slack);
        TestPostgres.dropAll(PREFIX);
    }

    private static String approveTwice(String target) {
        String ts = bot.awaitCard(target, countCards(target));
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.slack().click("U0SRE", APPROVE, id, ts);
        return ts;
    }

    private static int countCards(String target) {
        return (int) slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of " + target + " requested")).count();
    }

    @Test
    void aRestoreBringsBackTheBackupsRowsAndKeepsTheDataItReplaced() throws Exception {
        String appStartedBefore = engine.inspect("rbt-i8-app").getState().getStartedAt();
        int cards = countCards("shop");
        bot.slack().command("U0DEV", "data shop tickets lost after the 2.3.1 migration");
        String ts = bot.awaitCard("shop", cards);
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Prepared while you decide");
        bot.awaitCardShows(ts, "shop-2026-11-30T01.sql.gz is complete and unchanged since planned");
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.slack().click("U0SRE", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(TestPostgres.column(SHOP, "select who from tickets order by id")).containsExactly("ann", "bob", "cy");
        assertThat(TestPostgres.column(SHOP, "select name from queues order by id")).containsExactly("bakery", "post office");
        String kept = SHOP + "_pre_inc_" + id;
        assertThat(TestPostgres.column(kept, "select who from tickets order by id")).containsExactly("ann", "cy");
        assertThat(TestPostgres.column(kept, "select name from queues order by id")).containsExactly("bakery", "BROKEN");
        assertThat(TestPostgres.databases(SHOP)).containsExactlyInAnyOrder(SHOP, kept);
        assertThat(shopBackups.resolve("shop-pre-inc-" + id + ".sql.gz")).exists();

        String thread = slack.thread(ts);
        assertThat(thread).contains("kept the live data as", "complete)", "psql exited 0", "stopped app",
                "renamed " + SHOP + " to " + kept, "app healthy");
        assertThat(engine.running("rbt-i8-app")).isTrue();
        assertThat(engine.inspect("rbt-i8-app").getState().getStartedAt()).isNotEqualTo(appStartedBefore);
        assertThat(thread).containsPattern("INC-" + id + " succeeded\\*: `shop` holds the data of `shop-2026-11-30T01.sql.gz`\\. Total .*"
                + "Data-loss window 2 h 0 min \\(shop-2026-11-30T01.sql.gz taken .*\\); restore took [0-9.]+ m?s");
        var metrics = TestBot.eventually(bot::metrics, m -> m.counter("rollback_data_loss_window_seconds_count", "datastore", "shop") == 1,
                "the data-loss window in /metrics");
        assertThat(metrics.counter("rollback_data_loss_window_seconds_sum", "datastore", "shop")).isBetween(7190.0, 7300.0);
        assertThat(metrics.counter("rollback_restore_duration_seconds_count", "datastore", "shop")).isEqualTo(1);
        assertThat(bot.count("select count(*) from data_restores where incident_id = ? and backup = 'shop-2026-11-30T01.sql.gz'"
                + " and restored_at - backup_at >= 7000000", id)).isEqualTo(1);
    }

    @Test
    void anSqlErrorHalfWayLeavesTheLiveDatabaseUntouchedAndNoHalfMadeDatabase() {
        bot.slack().command("U0DEV", "data bad --backup bad-sqlerror.sql.gz");
        String ts = approveTwice("bad");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " failed");

        assertThat(slack.thread(ts)).contains("ON_ERROR_STOP", "relation \"nowhere\" does not exist", "dropped the half-made",
                BAD + " was never replaced");
        assertThat(TestPostgres.column(BAD, "select v from keep")).containsExactly("live");
        assertThat(TestPostgres.databases(BAD)).containsExactly(BAD);
    }

    @Test
    void aBackupTruncatedAfterApprovalLeavesTheLiveDatabaseUntouched() throws Exception {
        Path good = badBackups.resolve("bad-good.sql.gz");
        Path copy = badBackups.resolve("bad-truncated.sql.gz");
        Files.copy(good, copy);
        bot.slack().command("U0DEV", "data bad --backup bad-truncated.sql.gz");
        String ts = bot.awaitCard("bad", countCards("bad"));
        long id = bot.incidentOf(ts);
        byte[] all = Files.readAllBytes(copy);
        Files.write(copy, java.util.Arrays.copyOf(all, all.length / 2)); // the file breaks while the approval waits
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.slack().click("U0SRE", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " failed");

        assertThat(slack.thread(ts)).contains("truncated", "dropped the half-made");
        assertThat(TestPostgres.column(BAD, "select v from keep")).containsExactly("live");
        assertThat(TestPostgres.databases(BAD)).containsExactly(BAD);
    }

    @Test
    void tooLittleRoomForTheDumpOfTheLiveDataShowsOnTheCardAndApproveRefusesToStart() {
        if (!tightMounted) {
            if (Services.inCi()) {
                throw new AssertionError("could not mount a 4 MB tmpfs for the backups folder (root is needed; CI runs as root)");
            }
            Assumptions.abort("SKIPPED LOUDLY: mounting a tmpfs needs root");
        }
        int cards = countCards("tight");
        bot.slack().command("U0DEV", "data tight");
        String ts = bot.awaitCard("tight", cards);
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Preparing failed");
        bot.awaitCardShows(ts, "free, and the dump of the live tight the run keeps first needs about");

        var click = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("cannot start: preparing it failed", "not counted");
        assertThat(slack.thread(ts)).doesNotContain("Rollback started");
        assertThat(TestPostgres.column(BAD, "select v from keep")).containsExactly("live");
        assertThat(tightBackups.toFile().list()).containsExactly("tight-nightly.sql.gz");
        bot.slack().command("U0DEV", "cancel INC-" + id);
    }

    @Test
    void namesOutsideTheBackupsFolderAreRefusedOnTheAck() {
        int before = slack.postedCards().size();
        assertThat(bot.slack().command("U0DEV", "data bad --backup ../etc/passwd").text()).contains("--backup");
        assertThat(bot.slack().command("U0DEV", "data bad --backup /etc/passwd").text()).contains("--backup");
        assertThat(bot.slack().command("U0DEV", "data bad --backup bad-outside.sql.gz").text()).contains("leads outside");
        assertThat(bot.slack().command("U0DEV", "data bad --backup nothere.sql.gz").text()).contains("There is no backup");
        TestBot.stays("no card", () -> assertThat(slack.postedCards()).hasSize(before));
        assertThat(TestPostgres.column(BAD, "select v from keep")).containsExactly("live");
    }

    @Test
    void backupsAreListedNewestFirstWithSizeAgeAndCompleteness() throws Exception {
        Path broken = badBackups.resolve("bad-zz-broken.sql.gz");
        byte[] all = Files.readAllBytes(badBackups.resolve("bad-good.sql.gz"));
        Files.write(broken, java.util.Arrays.copyOf(all, all.length - 10));
        Files.setLastModifiedTime(broken, FileTime.from(Instant.now().plusSeconds(5)));
        var ack = bot.slack().command("U0DEV", "backups bad");
        String answer = bot.awaitResponse(ack.responseUrl());
        assertThat(answer).contains("bad-zz-broken.sql.gz", "INCOMPLETE", "bad-good.sql.gz", "complete", "old");
        assertThat(answer.indexOf("bad-zz-broken")).isLessThan(answer.indexOf("bad-good"));
        assertThat(answer).doesNotContain("bad-outside"); // a symlink leading out is not a backup of this folder
        Files.delete(broken);
    }

    @Test
    void anEmergencyRestoresADatabaseThatDoesNotAcceptConnectionsFromItsNewestBackup() {
        engine.run("rbt-i8-em", TestEngine.WEB_V2, EM_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "emergency em orders are gone");
        String ts = bot.awaitCard("em");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(TestPostgres.column(LOST, "select id from orders order by id")).containsExactly("1", "2", "3");
        assertThat(slack.thread(ts)).contains("does not accept connections", "restored from the newest complete backup lost-nightly.sql.gz",
                "there is no database " + LOST + " to keep", "renamed " + LOST + "_restore_inc_" + id + " to " + LOST, "em healthy",
                "checked again: PostgreSQL at 127.0.0.1:5432 accepts connections");
        assertThat(engine.imageOf("rbt-i8-em")).isEqualTo(TestEngine.WEB_V1);
        assertThat(engine.running("rbt-i8-em")).isTrue();
    }

    @Test
    void aDependentThatIsNotHealthyAfterTheSwapPutsTheLiveDatabaseBack() {
        bot.slack().command("U0DEV", "data sick");
        String ts = approveTwice("sick");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " failed");

        assertThat(TestPostgres.column(SICK, "select v from t")).containsExactly("live");
        assertThat(TestPostgres.databases(SICK)).containsExactly(SICK);
        assertThat(slack.thread(ts)).contains("renamed " + SICK + " to " + SICK + "_pre_inc_" + id, "sickapp did not answer 200",
                "renamed " + SICK + " to " + SICK + "_restore_inc_" + id + " and " + SICK + "_pre_inc_" + id + " to " + SICK,
                SICK + "_pre_inc_" + id + " is live again", "dropped the half-made");
        assertThat(engine.running("rbt-i8-sick")).isTrue();
    }
}
