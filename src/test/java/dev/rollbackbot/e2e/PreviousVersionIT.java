package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.FLAKY_V2;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What "previous version" means: --to when given, else the bot's deployment history, else the newest older image. */
class PreviousVersionIT {
    private static final int PORT = TestEngine.freePort();
    private static final int OLDEST_PORT = TestEngine.freePort();

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  shop: {platform: docker, container: rbt-pv-shop, health-url: "http://127.0.0.1:%d/health", ready-timeout: 20s}
                  oldest: {platform: docker, container: rbt-pv-oldest, health-url: "http://127.0.0.1:%d/health"}
                """.formatted(PORT, OLDEST_PORT), slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-pv-", bot, slack);
    }

    private static String card(String ts) {
        return slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().blocksText();
    }

    private static void approveAndWait(String ts) {
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", "rollback_approve", id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
    }

    @Test
    void olderImageByDateThenHistoryThenToAndBadVersions() {
        engine.run("rbt-pv-shop", WEB_V2, PORT, Map.of(), Map.of());

        // 1. nothing in the history yet: the newest local image of the repository older than v2 is v1
        bot.slack().command("U0DEV", "manual shop");
        String first = bot.awaitCard("shop", 0);
        assertThat(card(first)).contains("`" + WEB_V2 + "` → `" + WEB_V1 + "`");
        approveAndWait(first);
        assertThat(engine.imageOf("rbt-pv-shop")).isEqualTo(WEB_V1);

        // 2. v2 was rolled back from: it is never chosen by itself again, and nothing older than v1 exists
        var again = bot.slack().command("U0DEV", "manual shop");
        assertThat(bot.awaitResponse(again.responseUrl())).contains("No previous version of shop",
                "versions it was rolled back from are never chosen: " + WEB_V2);

        // 3. --to names a tag of the same repository: an explicit move forward to v2
        bot.slack().command("U0DEV", "manual shop --to v2 the fix for v2 is deployed");
        String second = bot.awaitCard("shop", 1);
        assertThat(card(second)).contains("`" + WEB_V1 + "` → `" + WEB_V2 + "`", "named with --to", "the fix for v2 is deployed");
        approveAndWait(second);
        assertThat(engine.imageOf("rbt-pv-shop")).isEqualTo(WEB_V2);

        // 4. the history now reads v2, v1, v2: the version before v2 is v1 (a --to move marks nothing as bad)
        bot.slack().command("U0DEV", "manual shop");
        String third = bot.awaitCard("shop", 2);
        assertThat(card(third)).contains("`" + WEB_V2 + "` → `" + WEB_V1 + "`", "the version before it in the deployment history");
        bot.slack().command("U0DEV", "cancel INC-" + bot.incidentOf(third));
        bot.awaitCardShows(third, "Cancelled");
        var history = bot.slack().command("U0DEV", "history shop");
        assertThat(bot.awaitResponse(history.responseUrl())).contains(WEB_V1, WEB_V2, "Versions seen running");

        // 5. versions that cannot be rolled back to are refused with what exists
        var other = bot.slack().command("U0DEV", "manual shop --to " + FLAKY_V2);
        assertThat(bot.awaitResponse(other.responseUrl())).contains("is another image", "not a rollback");
        var missing = bot.slack().command("U0DEV", "manual shop --to v9");
        assertThat(bot.awaitResponse(missing.responseUrl())).contains("localhost/rollback-test-web:v9 is not on the engine",
                "Local tags of localhost/rollback-test-web: v1, v2");
        var same = bot.slack().command("U0DEV", "manual shop --to v2");
        assertThat(bot.awaitResponse(same.responseUrl())).contains("already runs " + WEB_V2);
        assertThat(slack.cards().stream().map(SlackCall::text).filter(t -> t.contains("rollback of shop requested"))).hasSize(3);
    }

    @Test
    void theOldestImageHasNoPreviousVersion() {
        engine.run("rbt-pv-oldest", WEB_V1, OLDEST_PORT, Map.of(), Map.of());
        var r = bot.slack().command("U0DEV", "manual oldest");
        assertThat(bot.awaitResponse(r.responseUrl())).contains("No previous version of oldest is known",
                "no older image of localhost/rollback-test-web", "--to &lt;version&gt;");
    }
}
