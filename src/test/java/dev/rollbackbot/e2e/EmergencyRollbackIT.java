package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.LocalServices;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbook's emergency procedure on a Docker service: stop, restore the previous version, check each
 * datastore (the real PostgreSQL and Redis of this machine, or checks run inside a datastore's container),
 * verify health.
 */
class EmergencyRollbackIT {
    private static final String APPROVE = "rollback_approve";
    private static final int NET_PORT = TestEngine.freePort();
    private static final int BOX_PORT = TestEngine.freePort();
    private static final int DOWN_PORT = TestEngine.freePort();
    private static final int STOPPED_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        LocalServices.requirePostgres();
        LocalServices.requireRedis();
        engine = TestEngine.require();
        engine.runTools("rbt-em-db");
        engine.runTools("rbt-em-cache");
        engine.runTools("rbt-em-stopped");
        engine.stop("rbt-em-stopped");
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  api-net:
                    platform: docker
                    container: rbt-em-net
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [db-net, redis-net]
                  api-box:
                    platform: docker
                    container: rbt-em-box
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [db-box, redis-box]
                  api-down:
                    platform: docker
                    container: rbt-em-down
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [db-gone, redis-net]
                  api-stopped:
                    platform: docker
                    container: rbt-em-api-stopped
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    depends-on: [redis-stopped]
                datastores:
                  db-net: {type: postgres, host: 127.0.0.1, port: 5432, database: postgres, user: postgres, backups: /var/backups/db}
                  redis-net: {type: redis, host: 127.0.0.1, port: 6379}
                  db-box: {type: postgres, container: rbt-em-db, database: VirtualQueue}
                  redis-box: {type: redis, container: rbt-em-cache}
                  db-gone: {type: postgres, host: 127.0.0.1, port: 1, database: VirtualQueue, backups: /var/backups/db}
                  redis-stopped: {type: redis, container: rbt-em-stopped}
                """.formatted(NET_PORT, BOX_PORT, DOWN_PORT, STOPPED_PORT), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-em-", bot, slack);
    }

    @Test
    void theFiveStepsRunAgainstTheRealPostgresAndRedis() {
        engine.run("rbt-em-net", WEB_V2, NET_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "emergency api-net checkout 500s after the 2.3.1 deploy");
        String ts = bot.awaitCard("api-net");
        bot.slack().click("U0LEAD", APPROVE, bot.incidentOf(ts), ts);
        bot.awaitReply(ts, "succeeded");
        assertThat(engine.imageOf("rbt-em-net")).isEqualTo(WEB_V1);
        assertThat(slack.thread(ts)).contains("Step 1/6", "Step 2/6", "Step 5/6 done", "Step 6/6 done",
                "✅ db-net, PostgreSQL accepts connections", "✅ api-net, health URL answers 200",
                "PostgreSQL at 127.0.0.1:5432 accepts connections", "Redis at 127.0.0.1:6379 answered PONG");
    }

    @Test
    void datastoreChecksRunInsideTheirContainersWhenTheyHaveNoAddress() {
        engine.run("rbt-em-box", WEB_V2, BOX_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "emergency api-box");
        String ts = bot.awaitCard("api-box");
        bot.slack().click("U0LEAD", APPROVE, bot.incidentOf(ts), ts);
        bot.awaitReply(ts, "succeeded");
        assertThat(slack.thread(ts)).contains("pg_isready -U postgres -d VirtualQueue in rbt-em-db: /var/run/postgresql:5432 - accepting connections",
                "redis-cli ping in rbt-em-cache: PONG");
    }

    @Test
    void aDatastoreThatDoesNotAnswerFailsTheIncidentButTheServiceIsStillRestored() {
        engine.run("rbt-em-down", WEB_V2, DOWN_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "emergency api-down");
        String ts = bot.awaitCard("api-down");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " failed");
        String thread = slack.thread(ts);
        assertThat(thread).contains("Step 3/6 failed", "db-gone: PostgreSQL at 127.0.0.1:1 does not accept connections",
                "restore db-gone by hand", "/var/backups/db", "Step 4/6 done", "Step 5/6 done",
                // the validation, last, still finds the database down
                "Step 6/6 failed", "❌ db-gone, PostgreSQL accepts connections: PostgreSQL at 127.0.0.1:1 does not accept connections");
        assertThat(engine.imageOf("rbt-em-down")).isEqualTo(WEB_V1);
        assertThat(engine.running("rbt-em-down")).isTrue();
        assertThat(engine.namesStartingWith("rbt-em-down")).containsExactly("rbt-em-down");
        bot.awaitCardShows(ts, "Failed");
    }

    @Test
    void aRedisContainerThatDoesNotAnswerIsRestartedAndCheckedAgain() {
        engine.run("rbt-em-api-stopped", WEB_V2, STOPPED_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "emergency api-stopped cache is down");
        String ts = bot.awaitCard("api-stopped");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(slack.thread(ts)).contains("Step 3/5 done", "container rbt-em-stopped is not running",
                "restarted container rbt-em-stopped", "PONG", "checked again: redis-cli ping in rbt-em-stopped: PONG", "Step 4/5 done",
                "Step 5/5 done", "✅ redis-stopped, Redis answers PONG: redis-cli ping in rbt-em-stopped: PONG");
        assertThat(engine.running("rbt-em-stopped")).isTrue();
        assertThat(engine.imageOf("rbt-em-api-stopped")).isEqualTo(WEB_V1);
    }
}
