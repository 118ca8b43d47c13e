package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replacement is prepared while the approvers read the card, through signed Slack requests on podman: what was
 * prepared is removed on Deny, cancel and expiry; a service container replaced after preparation is detected and the
 * run prepares again; a replacement that cannot be created shows on the card and Approve refuses to start.
 */
class PrepareWhileApprovalWaitsIT {
    private static final String APPROVE = "rollback_approve";
    private static final String DENY = "rollback_deny";
    private static final int PORT_A = TestEngine.freePort();
    private static final int PORT_B = TestEngine.freePort();
    private static final int PORT_C = TestEngine.freePort();
    private static final int PORT_D = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static FakeSlack quickSlack;
    private static TestBot quick;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        bot = TestBot.start(config("30m", "rbt-prep-a", PORT_A, "rbt-prep-b", PORT_B, "rbt-prep-c", PORT_C), slack, engine.host());
        quickSlack = new FakeSlack();
        quick = TestBot.start(config("2s", "rbt-prep-d", PORT_D, "rbt-prep-unused1", TestEngine.freePort(),
                "rbt-prep-unused2", TestEngine.freePort()), quickSlack, engine.host());
    }

    private static String config(String expireAfter, String a, int pa, String b, int pb, String c, int pc) {
        return """
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                  required: {manual: 1}
                  expire-after: %s
                services:
                  a: {platform: docker, container: %s, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  b: {platform: docker, container: %s, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  c: {platform: docker, container: %s, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                """.formatted(expireAfter, a, pa, b, pb, c, pc);
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-prep-", bot, slack, quick, quickSlack);
    }

    private static long requestAndAwaitPrepared(TestBot on, String service, String container, String ts0) {
        String ts = ts0;
        long id = on.incidentOf(ts);
        on.awaitCardShows(ts, "Prepared while you decide");
        assertThat(engine.namesStartingWith(container + "-next-inc-" + id)).as("the replacement exists, not started")
                .containsExactly(container + "-next-inc-" + id);
        assertThat(engine.running(container + "-next-inc-" + id)).isFalse();
        assertThat(engine.imageOf(container + "-next-inc-" + id)).isEqualTo(WEB_V1);
        return id;
    }

    private static void awaitNoReplacement(String container) {
        TestBot.eventually(() -> engine.namesStartingWith(container + "-next-"), List::isEmpty,
                "no prepared replacement of " + container + " left");
    }

    @Test
    void whatWasPreparedIsRemovedWhenTheRequestIsDeniedOrCancelled() {
        engine.run("rbt-prep-a", WEB_V2, PORT_A, Map.of(), Map.of());
        bot.slack().command("U0DEV", "manual a");
        String ts = bot.awaitCard("a");
        long id = requestAndAwaitPrepared(bot, "a", "rbt-prep-a", ts);

        bot.slack().click("U0LEAD", DENY, id, ts);
        bot.awaitCardShows(ts, "Denied");
        awaitNoReplacement("rbt-prep-a");
        assertThat(engine.imageOf("rbt-prep-a")).isEqualTo(WEB_V2);
        assertThat(engine.running("rbt-prep-a")).isTrue();

        bot.slack().command("U0DEV", "manual a");
        String second = bot.awaitCard("a", 1);
        long id2 = requestAndAwaitPrepared(bot, "a", "rbt-prep-a", second);
        bot.slack().command("U0DEV", "cancel INC-" + id2);
        bot.awaitCardShows(second, "Cancelled");
        awaitNoReplacement("rbt-prep-a");
        assertThat(engine.running("rbt-prep-a")).isTrue();
    }

    @Test
    void whatWasPreparedIsRemovedWhenTheRequestExpires() {
        engine.run("rbt-prep-d", WEB_V2, PORT_D, Map.of(), Map.of());
        quick.slack().command("U0DEV", "manual a");
        String ts = quick.awaitCard("a");
        long id = quick.incidentOf(ts);
        quick.awaitCardShows(ts, "Expired");
        awaitNoReplacement("rbt-prep-d");
        assertThat(engine.namesStartingWith("rbt-prep-d")).containsExactly("rbt-prep-d");
        assertThat(id).isPositive();
    }

    @Test
    void aServiceContainerReplacedAfterPreparationIsDetectedAndTheRunPreparesAgain() {
        engine.run("rbt-prep-b", WEB_V2, PORT_B, Map.of("FLAVOUR", "first"), Map.of());
        bot.slack().command("U0DEV", "manual b");
        String ts = bot.awaitCard("b");
        long id = requestAndAwaitPrepared(bot, "b", "rbt-prep-b", ts);
        String prepared = engine.inspect("rbt-prep-b-next-inc-" + id).getId();

        // someone recreates the service's container (same image, new settings) while the approval waits
        engine.remove("rbt-prep-b");
        engine.run("rbt-prep-b", WEB_V2, PORT_B, Map.of("FLAVOUR", "second"), Map.of());
        TestBot.eventually(() -> DockerRollbackIT.health(PORT_B), h -> h.contains("ok v2"), "b healthy on v2 again");

        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(slack.thread(ts)).contains("prepared the replacement again (rbt-prep-b was replaced since it was prepared)");
        assertThat(engine.imageOf("rbt-prep-b")).isEqualTo(WEB_V1);
        assertThat(engine.inspect("rbt-prep-b").getId()).as("not the stale prepared container").isNotEqualTo(prepared);
        assertThat(engine.inspect("rbt-prep-b").getConfig().getEnv()).contains("FLAVOUR=second");
        assertThat(engine.namesStartingWith("rbt-prep-b")).containsExactly("rbt-prep-b");
    }

    @Test
    void aReplacementThatCannotBeCreatedShowsOnTheCardAndApproveRefusesToStart() throws Exception {
        // a fresh bot, so the request is INC-1; a running container already holds its replacement's name
        FakeSlack fresh = new FakeSlack();
        try (TestBot own = TestBot.start(config("30m", "rbt-prep-unused3", TestEngine.freePort(), "rbt-prep-unused4",
                TestEngine.freePort(), "rbt-prep-c", PORT_C), fresh, engine.host())) {
            engine.run("rbt-prep-c", WEB_V2, PORT_C, Map.of(), Map.of());
            engine.run("rbt-prep-c-next-inc-1", WEB_V2, TestEngine.freePort(), Map.of(), Map.of());

            own.slack().command("U0DEV", "manual c");
            String ts = own.awaitCard("c");
            long id = own.incidentOf(ts);
            assertThat(id).isEqualTo(1);
            own.awaitCardShows(ts, "Preparing failed");
            own.awaitReply(ts, "Approve will refuse to start");

            var click = own.slack().click("U0LEAD", APPROVE, id, ts);
            assertThat(own.awaitResponse(click.responseUrl())).contains("cannot start: preparing it failed", "not counted");
            assertThat(engine.imageOf("rbt-prep-c")).isEqualTo(WEB_V2);
            assertThat(engine.running("rbt-prep-c")).isTrue();
            assertThat(engine.running("rbt-prep-c-next-inc-1")).as("what the bot did not make is left alone").isTrue();
            assertThat(fresh.thread(ts)).doesNotContain("Rollback started", "Approved by");
            assertThat(fresh.updates(ts).get(fresh.updates(ts).size() - 1).all()).contains("Approve", "Preparing failed");
        } finally {
            fresh.close();
        }
    }
}
