package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.LocalServices;
import dev.rollbackbot.testing.PrometheusText;
import dev.rollbackbot.testing.SlowServer;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import dev.rollbackbot.testing.TestPostgres;
import dev.rollbackbot.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runbook's six checks, through signed requests only, against real parts: a web container on podman, this machine's
 * PostgreSQL (a database of the test's own with 3 tables), a Redis the test runs on a free port and then stops, a slow
 * server and a missing endpoint. {@code /rollback validate} with each check failing in turn (FAILED, nobody paged), and
 * a manual rollback whose last step is the validation (a failed one fails the incident and pages, the container stays).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidationIT {
    private static final String APPROVE = "rollback_approve";
    private static final String DB = "rbt_v_valid";
    private static final int API_PORT = TestEngine.freePort();
    private static final int WEB_PORT = TestEngine.freePort();
    private static final int BAD_PORT = TestEngine.freePort();
    private static final int REDIS_PORT = TestEngine.freePort();
    private static final int NOTHING_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static SlowServer slow;
    private static ColourServer sick;
    private static Path redisDir;

    @BeforeAll
    static void start() throws Exception {
        LocalServices.requirePostgres();
        engine = TestEngine.require();
        TestPostgres.create(DB);
        TestPostgres.exec(DB, "create table queues (id int)", "create table users (id int)", "create table sessions (id int)");
        redisDir = Files.createTempDirectory("rbt-v-redis");
        TestRedis.start(REDIS_PORT, redisDir);
        engine.run("rbt-v-api", WEB_V2, API_PORT, Map.of(), Map.of());
        slow = new SlowServer(Duration.ofMillis(700));
        sick = new ColourServer("sick");
        sick.answer(503);
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 10m}
                services:
                  api:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%1$d/health
                    endpoints: [/api/queues, /api/users]
                    depends-on: [vdb, vcache]
                  api-tables:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%1$d/health
                    depends-on: [vdb-more]
                  api-missing:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%1$d/health
                    endpoints: [/api/queues, /api/no-such-page]
                  api-nodb:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%1$d/health
                    depends-on: [vdb-gone]
                  api-slow:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%2$d/health
                    max-response-time: 300ms
                  api-sick:
                    platform: docker
                    container: rbt-v-api
                    health-url: http://127.0.0.1:%3$d/health
                  web:
                    platform: docker
                    container: rbt-v-web
                    health-url: http://127.0.0.1:%4$d/health
                    ready-timeout: 20s
                    endpoints: [/api/queues]
                  web-bad:
                    platform: docker
                    container: rbt-v-webbad
                    health-url: http://127.0.0.1:%5$d/health
                    ready-timeout: 20s
                    endpoints: [/api/queues, /api/gone-in-v1]
                datastores:
                  vdb: {type: postgres, host: 127.0.0.1, port: 5432, database: %6$s, min-tables: 3}
                  vdb-more: {type: postgres, host: 127.0.0.1, port: 5432, database: %6$s, min-tables: 4}
                  vdb-gone: {type: postgres, host: 127.0.0.1, port: %7$d, database: %6$s}
                  vcache: {type: redis, host: 127.0.0.1, port: %8$d}
                """.formatted(API_PORT, slow.port(), sick.port(), WEB_PORT, BAD_PORT, DB, NOTHING_PORT, REDIS_PORT),
                slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        redisCli("shutdown", "nosave");
        TestEngine.cleanUp(engine, "rbt-v-", bot, slack, slow, sick);
        TestPostgres.dropAll(DB);
    }

    @Test
    @Order(1)
    void everyCheckPassesOrSaysWhyItWasSkipped() {
        String ts = validate("api");
        bot.awaitReply(ts, "succeeded");
        String thread = slack.thread(ts);
        assertThat(thread).contains("Validation started: `api` runs `" + WEB_V2 + "`", "Step 1/1 done",
                "6 passed, 0 failed, 0 skipped",
                "✅ api, health URL answers 200: http://127.0.0.1:" + API_PORT + "/health answered 200",
                "✅ vdb, PostgreSQL accepts connections: PostgreSQL at 127.0.0.1:5432 accepts connections",
                "✅ vcache, Redis answers PONG: Redis at 127.0.0.1:" + REDIS_PORT + " answered PONG",
                "✅ api, every endpoint answers 200: 2 of 2 answered 200 (/api/queues, /api/users)",
                "✅ api, health URL answers within max-response-time",
                "✅ vdb, at least min-tables tables: " + DB + " has 3 tables (min-tables 3)");
        bot.awaitCardShows(ts, "passed every check that applies");
        assertThat(engine.imageOf("rbt-v-api")).isEqualTo(WEB_V2); // a validation changes nothing
    }

    @Test
    @Order(2)
    void aDatabaseWithFewerTablesThanMinTablesFails() {
        String thread = validateFails("api-tables");
        assertThat(thread).contains("❌ vdb-more, at least min-tables tables: " + DB + " has 3 tables, fewer than min-tables 4",
                "✅ vdb-more, PostgreSQL accepts connections", "⏭️ skipped: api-tables, Redis answers PONG: no Redis datastore in depends-on",
                "⏭️ skipped: api-tables, every endpoint answers 200: no endpoints configured (services.api-tables.endpoints)");
    }

    @Test
    @Order(2)
    void aMissingEndpointFails() {
        String thread = validateFails("api-missing");
        assertThat(thread).contains("❌ api-missing, every endpoint answers 200: 1 of 2 did not answer 200: /api/no-such-page answered HTTP 404",
                "✅ api-missing, health URL answers 200");
    }

    @Test
    @Order(2)
    void aPostgresThatDoesNotAcceptConnectionsFails() {
        String thread = validateFails("api-nodb");
        assertThat(thread).contains("❌ vdb-gone, PostgreSQL accepts connections: PostgreSQL at 127.0.0.1:" + NOTHING_PORT
                + " does not accept connections", "⏭️ skipped: vdb-gone, at least min-tables tables: min-tables is not set");
    }

    @Test
    @Order(2)
    void aHealthUrlSlowerThanMaxResponseTimeFails() {
        String thread = validateFails("api-slow");
        assertThat(thread).contains("✅ api-slow, health URL answers 200",
                "❌ api-slow, health URL answers within max-response-time: http://127.0.0.1:" + slow.port() + "/health answered in",
                "over max-response-time 300ms");
    }

    @Test
    @Order(2)
    void aHealthUrlThatDoesNotAnswer200Fails() {
        String thread = validateFails("api-sick");
        assertThat(thread).contains("❌ api-sick, health URL answers 200: http://127.0.0.1:" + sick.port() + "/health answered HTTP 503, not 200",
                "Look at api-sick (container rbt-v-api) and its logs");
    }

    @Test
    @Order(3)
    void aRedisThatStoppedFailsAndEveryResultIsCounted() {
        PrometheusText before = bot.metrics();
        redisCli("shutdown", "nosave");
        TestBot.eventually(() -> redisCli("ping"), out -> !out.equals("PONG"), "the test's Redis to stop");
        String thread = validateFails("api");
        assertThat(thread).contains("❌ vcache, Redis answers PONG: Redis at 127.0.0.1:" + REDIS_PORT + " did not answer: connection refused",
                "Restart vcache (127.0.0.1:" + REDIS_PORT + ") and check it answers PONG", "✅ vdb, PostgreSQL accepts connections");
        PrometheusText after = bot.metrics();
        assertThat(delta(before, after, "redis", "failed")).isEqualTo(1);
        assertThat(delta(before, after, "health", "passed")).isEqualTo(1);
        assertThat(delta(before, after, "min_tables", "passed")).isEqualTo(1);
        assertThat(after.value("rollback_validation_checks_total", "check", "redis", "result", "failed", "drill", "true")).hasValue(0);
        assertThat(after.sum("rollback_incidents_total", "kind", "validate")).as("a validation is not a rollback").isZero();
        assertThat(after.sum("rollback_duration_seconds_count", "kind", "validate")).isZero();
    }

    @Test
    @Order(4)
    void aManualRollbackEndsWithTheValidation() {
        engine.run("rbt-v-web", WEB_V2, WEB_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "manual web 2.0 is broken");
        String ts = bot.awaitCard("web");
        bot.slack().click("U0LEAD", APPROVE, bot.incidentOf(ts), ts);
        bot.awaitReply(ts, "succeeded");
        assertThat(slack.thread(ts)).contains("Step 4/4: Validate web: the runbook's six checks", "Step 4/4 done",
                "✅ web, every endpoint answers 200: 1 of 1 answered 200 (/api/queues)",
                "⏭️ skipped: web, PostgreSQL accepts connections: no PostgreSQL datastore in depends-on");
        assertThat(engine.imageOf("rbt-v-web")).isEqualTo(WEB_V1);
    }

    @Test
    @Order(5)
    void aRollbackWhoseValidationFailsEndsFailedPagesAndKeepsTheRolledBackContainer() {
        engine.run("rbt-v-webbad", WEB_V2, BAD_PORT, Map.of(), Map.of());
        bot.slack().command("U0DEV", "manual web-bad 2.0 is broken");
        String ts = bot.awaitCard("web-bad");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("Step 3/4 done", "Step 4/4 failed",
                "❌ web-bad, every endpoint answers 200: 1 of 2 did not answer 200: /api/gone-in-v1 answered HTTP 404")
                .doesNotContain("Recovery");
        TestBot.eventually(() -> EscalationIT.pages(slack, ts).size(), n -> n >= 1, "the L1 page of INC-" + id);
        assertThat(EscalationIT.pages(slack, ts).get(0).all()).contains("page 1: L1", "<@U0DEVOPS>",
                "❌ web-bad, every endpoint answers 200").doesNotContain("[failed]", "[passed]");
        // not put back: the rollback itself went through; the container runs the rolled-back image, nothing kept aside
        assertThat(engine.imageOf("rbt-v-webbad")).isEqualTo(WEB_V1);
        assertThat(engine.running("rbt-v-webbad")).isTrue();
        assertThat(engine.namesStartingWith("rbt-v-webbad")).containsExactly("rbt-v-webbad");
        bot.awaitCardShows(ts, "Failed");
    }

    /** {@code /rollback validate <service>}: no approval, so it starts at once; returns its card's ts. */
    private static String validate(String service) {
        String needle = "Validation of " + service + " requested";
        int before = cardsWith(needle).size();
        bot.slack().command("U0DEV", "validate " + service);
        TestBot.eventually(() -> cardsWith(needle).size(), n -> n > before, "the card of the validation of " + service);
        return cardsWith(needle).get(before).ts();
    }

    /** Validates {@code service}, which must fail: FAILED, its card says so, and nobody is paged. Returns the thread. */
    private static String validateFails(String service) {
        String ts = validate(service);
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " failed");
        bot.awaitCardShows(ts, "Failed");
        assertThat(bot.count("select count(*) from incidents where id = ? and state = 'FAILED' and kind = 'VALIDATE'", id)).isEqualTo(1);
        TestBot.stays("no page for a failed validation", () -> {
            assertThat(EscalationIT.pages(slack, ts)).isEmpty();
            assertThat(bot.count("select count(*) from escalations where incident_id = ?", id)).isZero();
        });
        return slack.thread(ts);
    }

    private static List<FakeSlack.Card> cardsWith(String needle) {
        return slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).toList();
    }

    private static double delta(PrometheusText before, PrometheusText after, String check, String result) {
        String[] labels = {"check", check, "result", result, "drill", "false"};
        return after.counter("rollback_validation_checks_total", labels) - before.counter("rollback_validation_checks_total", labels);
    }

    private static String redisCli(String... args) {
        return TestRedis.cli(REDIS_PORT, args);
    }
}
