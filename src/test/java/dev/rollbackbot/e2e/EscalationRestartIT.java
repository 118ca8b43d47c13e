package dev.rollbackbot.e2e;

import static dev.rollbackbot.e2e.EscalationIT.pages;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pages survive a restart (a page due while the bot was down fires once, promptly, on start-up), replicas on one
 * PostgreSQL fire each page once, and approval expiry runs on the Quartz timers.
 */
class EscalationRestartIT {
    private static TestEngine engine;
    private static int port;
    private static final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        engine = TestEngine.require();
        port = TestEngine.freePort();
        engine.run("rbt-er-api", WEB_V2, port, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        java.util.Collections.reverse(open);
        TestEngine.cleanUp(engine, "rbt-er-", open.toArray(AutoCloseable[]::new));
    }

    private static String config(String l1, String l2) {
        return """
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD], expire-after: 10m}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: %s}
                    - {name: L2, role: Technical Lead, notify: [U0TECH], respond-within: %s}
                    - {name: L3, role: CTO, notify: [U0CTO], respond-within: 1h}
                services:
                  api:
                    platform: docker
                    container: rbt-er-api
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                """.formatted(l1, l2, port);
    }

    @Test
    void aPageThatFellDueWhileTheBotWasDownFiresOnceWithinASecondOfStartUp() throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.h2();
        open.add(db);
        FakeSlack before = new FakeSlack();
        open.add(before);
        String cfg = config("3s", "1h");
        TestBot first = TestBot.start(cfg, before, engine.host(), db);
        String ts;
        long id;
        try {
            first.slack().command("U0DEV", "emergency api");
            ts = first.awaitCard("api");
            id = first.incidentOf(ts);
            TestBot.eventually(() -> pages(before, ts).size(), n -> n == 1, "the L1 page");
        } finally {
            first.close(); // what SIGTERM does: Main's shutdown hook closes the bot
        }
        long due = TestBot.eventually(() -> nextDue(db, id), d -> d > 0, "the L2 page's due time");
        // the L2 page falls due while no bot runs
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().toEpochMilli() > due + 1500);
        assertThat(pages(before, ts)).hasSize(1);

        FakeSlack after = new FakeSlack();
        open.add(after);
        TestBot second = TestBot.start(cfg, after, engine.host(), db);
        long t0 = System.nanoTime(); // the bot is up (serving HTTP)
        open.add(second);
        TestBot.eventually(() -> pages(after, ts).size(), n -> n >= 1, "the overdue L2 page after the restart");
        Duration late = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(pages(after, ts).get(0).text()).contains("L2 (Technical Lead)");
        assertThat(late).as("from start-up to the overdue page").isLessThan(Duration.ofMillis(1000));
        TestBot.stays("the overdue page fires once", () -> assertThat(pages(after, ts)).hasSize(1));
        assertThat(second.count("select pages from escalations where incident_id = ?", id)).isEqualTo(2);
    }

    @Test
    void twoReplicasOnPostgresFireEachPageOnce() throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.postgres();
        open.add(db);
        FakeSlack slack = new FakeSlack();
        open.add(slack);
        String cfg = config("1s", "1s");
        TestBot a = TestBot.start(cfg, slack, engine.host(), db);
        open.add(a);
        TestBot b = TestBot.start(cfg, slack, engine.host(), db);
        open.add(b);
        a.slack().command("U0DEV", "emergency api");
        String ts = a.awaitCard("api");
        long id = a.incidentOf(ts);
        TestBot.eventually(() -> pages(slack, ts).size(), n -> n >= 3, "L1, L2 and L3 pages");
        TestBot.stays("each page once (L3 waits an hour)", () -> assertThat(pages(slack, ts)).hasSize(3));
        assertThat(pages(slack, ts).stream().map(c -> c.text().replaceAll(".*page: (L\\d).*", "$1")).toList())
                .containsExactly("L1", "L2", "L3");
        assertThat(a.count("select count(*) from incident_events where incident_id = ? and type = 'PAGED'", id)).isEqualTo(3);
        b.slack().command("U0TECH", "ack INC-" + id);
        a.awaitReply(ts, "Acknowledged by <@U0TECH>");
        b.slack().command("U0DEV", "cancel INC-" + id);
    }

    @Test
    void anUnapprovedRequestExpiresOnItsQuartzTimer() throws Exception {
        FakeSlack slack = new FakeSlack();
        open.add(slack);
        // the default options: the database sweep runs once a minute, so an expiry within seconds is the timer's
        TestBot bot = TestBot.start(config("1h", "1h").replace("expire-after: 10m", "expire-after: 2s"), slack, engine.host());
        open.add(bot);
        bot.slack().command("U0DEV", "manual api");
        String ts = bot.awaitCard("api");
        bot.awaitReply(ts, "Expired");
        bot.awaitCardShows(ts, "Expired");
    }

    private static long nextDue(TestDatabases.TestDatabase db, long id) {
        try (var c = java.sql.DriverManager.getConnection(db.url()); var st = c.prepareStatement(
                "select next_due from escalations where incident_id = ? and pages = 1")) {
            st.setLong(1, id);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
