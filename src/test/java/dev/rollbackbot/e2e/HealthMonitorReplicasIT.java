package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.HealthProxy;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one PostgreSQL database watch one service: Quartz (clustered) fires each check on one of them, the
 * count continues across them, and the service is rolled back once, after exactly `retries` failed checks.
 */
class HealthMonitorReplicasIT {
    private static final String CONTAINER = "rbt-i9-rep-shared";
    private static TestEngine engine;
    private static TestDatabases.TestDatabase db;
    private static FakeSlack slack;
    private static HealthProxy proxy;
    private static TestBot a;
    private static TestBot b;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        db = TestDatabases.postgres("rbt_i9_");
        slack = new FakeSlack();
        int port = TestEngine.freePort();
        engine.run(CONTAINER, WEB_V2, port, Map.of(), Map.of());
        proxy = new HealthProxy(port);
        String config = """
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                services:
                  shared:
                    platform: docker
                    container: %s
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 20s
                    monitor: {interval: 1s, timeout: 1s, retries: 3, start-period: 0s, auto-rollback: true}
                """.formatted(CONTAINER, proxy.port());
        a = TestBot.start(config, slack, engine.host(), db);
        b = TestBot.start(config, slack, engine.host(), db);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, slack, db}) {
            if (c != null) {
                c.close();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        if (engine != null) {
            engine.removeAll("rbt-i9-rep-");
        }
    }

    @Test
    void oneReplicaChecksEachTimeAndTheCountContinuesAcrossThem() throws Exception {
        // one check per interval between them, not one per replica
        TestBot.eventually(() -> proxy.checksBy("rollback-bot-monitor").size(), n -> n >= 2, "the monitor checking");
        Instant from = Instant.now();
        int before = proxy.checksBy("rollback-bot-monitor").size();
        org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        int checks = proxy.checksBy("rollback-bot-monitor").size() - before;
        double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
        assertThat(checks).as(checks + " checks in " + seconds + " s").isBetween(4, (int) Math.ceil(seconds) + 1);

        // either replica may make a check; with one gone, the other alone goes on checking every interval
        a.close();
        Instant closed = Instant.now();
        int atClose = proxy.checksBy("rollback-bot-monitor").size();
        TestBot.eventually(() -> proxy.checksBy("rollback-bot-monitor").size() - atClose, n -> n >= 3, "replica b checking alone");
        var afterClose = proxy.checksBy("rollback-bot-monitor").stream().filter(c -> c.at().isAfter(closed.plusMillis(500))).toList();
        assertThat(afterClose.stream().map(HealthProxy.Check::userAgent).distinct().toList()).as("one replica left")
                .hasSize(1).allSatisfy(ua -> assertThat(ua).startsWith("rollback-bot-monitor (").endsWith(")"));
        a = null;

        var client = engine.client();
        String exec = client.execCreateCmd(CONTAINER).withCmd("/bin/busybox", "rm", "-f", "/www/health")
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);

        String ts = b.awaitCard("shared");
        b.awaitReply(ts, "succeeded");
        assertThat(engine.imageOf(CONTAINER)).isEqualTo(WEB_V1);
        assertThat(proxy.checksBy("rollback-bot-monitor").stream().filter(HealthProxy.Check::failed).count()).isEqualTo(3);
        TestBot.stays("one rollback between the replicas", () -> assertThat(slack.postedCards().stream()
                .filter(c -> c.call().text().contains("rollback of shared requested")).count()).isEqualTo(1));
        assertThat(b.count("select count(*) from incidents where target = 'shared'")).isEqualTo(1);
    }
}
