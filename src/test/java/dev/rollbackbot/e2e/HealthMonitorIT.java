package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.FLAKY_V1;
import static dev.rollbackbot.testing.TestEngine.FLAKY_V2;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.HealthProxy;
import dev.rollbackbot.testing.Json;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The health monitor against real containers on podman whose health the test breaks (it deletes the page the health
 * URL serves), with second-long intervals, driven and observed through Slack only. Each service's health URL goes
 * through a {@link HealthProxy}, which counts the monitor's checks apart from a rollback's own health polling.
 */
class HealthMonitorIT {
    private static final String MONITOR_AGENT = "rollback-bot-monitor";
    private static final String APPROVE = "rollback_approve";
    private static final String PREFIX = "rbt-i9-mon-";
    /** service name → (image, monitor block); "slow" and "oldest" are unhealthy before the bot starts. */
    private static final Map<String, String[]> SERVICES = Map.of(
            "auto", new String[] {WEB_V2, "{interval: 1s, timeout: 1s, retries: 3, start-period: 0s, auto-rollback: true}"},
            "slow", new String[] {WEB_V2, "{interval: 500ms, timeout: 1s, retries: 2, start-period: 4s, auto-rollback: true}"},
            "flaky", new String[] {FLAKY_V2, "{interval: 1s, timeout: 1s, retries: 2, start-period: 0s, auto-rollback: true}"},
            "busy", new String[] {WEB_V2, "{interval: 1s, timeout: 1s, retries: 2, start-period: 0s, auto-rollback: true}"},
            "ask", new String[] {WEB_V2, "{interval: 1s, timeout: 1s, retries: 2, start-period: 0s, auto-rollback: false}"},
            "oldest", new String[] {FLAKY_V1, "{interval: 500ms, timeout: 1s, retries: 2, start-period: 0s, auto-rollback: true}"});

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;
    private static final Map<String, HealthProxy> PROXIES = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        StringBuilder services = new StringBuilder();
        for (var e : SERVICES.entrySet()) {
            String name = e.getKey();
            int port = TestEngine.freePort();
            engine.run(PREFIX + name, e.getValue()[0], port, Map.of(), Map.of());
            HealthProxy proxy = new HealthProxy(port);
            PROXIES.put(name, proxy);
            services.append("""
                      %s:
                        platform: docker
                        container: %s
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: %s
                        monitor: %s
                    """.formatted(name, PREFIX + name, proxy.port(), name.equals("flaky") ? "3s" : "20s", e.getValue()[1]));
        }
        TestBot.eventually(() -> healthy("slow"), ok -> ok, "slow v2 answering before it is broken");
        breakHealth("slow"); // broken from the start: only the start period holds the monitor back
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                  required: {manual: 1}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 10m}
                services:
                """ + services, slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        PROXIES.values().forEach(HealthProxy::close);
        TestEngine.cleanUp(engine, PREFIX, bot, slack);
    }

    @Test
    void aServiceThatTurnsUnhealthyIsRolledBackAfterExactlyRetriesFailuresWithoutApproval() throws Exception {
        awaitMonitorSeesHealthy("auto");
        long broken = System.currentTimeMillis();
        breakHealth("auto");

        String ts = bot.awaitCard("auto");
        SlackCall card = card(ts);
        assertThat(card.text()).contains("Automated rollback of auto requested by 🤖 the health monitor");
        assertThat(card.blocks()).contains("3 failed health checks in a row (HTTP 404)", "none needed").doesNotContain("\"Approve\"");
        long id = bot.incidentOf(ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");

        assertThat(engine.imageOf(PREFIX + "auto")).isEqualTo(WEB_V1);
        assertThat(healthy("auto")).isTrue();
        // detected within interval x retries (3 x 1 s) of the break, plus at most one check's timeout (1 s) and slack
        // for a busy machine; then the rollback's own time (its run duration) to healthy
        long opened = bot.count("select min(at) from incident_events e join incidents i on i.id = e.incident_id"
                + " where i.target = 'auto' and e.type = 'REQUESTED'");
        assertThat(opened - broken).as("break to the automated incident, ms").isBetween(2_000L, 3_000L + 1_000L + 4_000L);
        awaitMonitorSeesHealthy("auto");
        // exactly `retries` failed checks, then no check while the rollback held the service
        assertThat(failedChecks("auto")).isEqualTo(3);
        assertThat(slack.thread(ts)).contains(" page: L1");
        assertThat(bot.count("select count(*) from incidents where target = 'auto'")).isEqualTo(1);
        TestBot.stays("no second rollback of auto", () -> assertThat(slack.postedCards().stream()
                .filter(c -> c.call().text().contains("rollback of auto requested")).count()).isEqualTo(1));
        assertThat(monitorAnswer()).contains("`auto` — ✅ healthy");
        // the downtime, from the first failed check to the first healthy one after it, on the incident and in /metrics
        bot.awaitReply(ts, "Healthy again: ");
        List<HealthProxy.Check> checks = PROXIES.get("auto").checksBy(MONITOR_AGENT);
        HealthProxy.Check firstFailed = checks.stream().filter(HealthProxy.Check::failed).findFirst().orElseThrow();
        HealthProxy.Check healthyAgain = checks.stream().filter(c -> !c.failed() && c.at().isAfter(firstFailed.at())).findFirst().orElseThrow();
        double downtime = Duration.between(firstFailed.at(), healthyAgain.at()).toMillis() / 1000.0;
        var status = bot.slack().command("U0OBS", "status INC-" + id);
        assertThat(bot.awaitResponse(status.responseUrl())).contains("healthy again: ", " of downtime, from the first failed health check at ");
        var metrics = bot.metrics();
        assertThat(metrics.value("rollback_downtime_seconds_count", "service", "auto")).hasValue(1);
        assertThat(metrics.value("rollback_downtime_seconds_sum", "service", "auto").orElseThrow()).isCloseTo(downtime,
                org.assertj.core.data.Offset.offset(0.3));
        assertThat(metrics.value("rollback_monitor_actions_total", "service", "auto", "action", "automated")).hasValue(1);
        assertThat(metrics.value("rollback_monitor_checks_total", "service", "auto", "result", "failed")).hasValue(3);
    }

    @Test
    void failuresDuringTheStartPeriodAreNotCounted() {
        String ts = bot.awaitCard("slow");
        bot.awaitReply(ts, "succeeded");
        List<HealthProxy.Check> failed = PROXIES.get("slow").checksBy(MONITOR_AGENT).stream().filter(HealthProxy.Check::failed).toList();
        // broken from the first check: every failure inside the 4 s start period was ignored, then 2 counted
        Duration streak = Duration.between(failed.get(0).at(), failed.get(failed.size() - 1).at());
        assertThat(streak).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
        assertThat(failed.size()).isGreaterThanOrEqualTo(2 + 6);
        assertThat(engine.imageOf(PREFIX + "slow")).isEqualTo(WEB_V1);
    }

    @Test
    void aVersionTheMonitorAlreadyRolledBackFromIsOnlyEscalatedNeverRolledBackTwice() throws Exception {
        awaitMonitorSeesHealthy("flaky");
        breakHealth("flaky");
        String ts = bot.awaitCard("flaky");
        long id = bot.incidentOf(ts);
        // flaky's v1 never answers: the rollback fails and puts the broken v2 back, which goes on failing
        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(engine.imageOf(PREFIX + "flaky")).isEqualTo(FLAKY_V2);

        TestBot.eventually(HealthMonitorIT::monitorAnswer, a -> a.contains("escalated on INC-" + id), "the monitor escalating only");
        int checksBefore = PROXIES.get("flaky").checksBy(MONITOR_AGENT).size();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of flaky requested")).count() == 1);
        assertThat(PROXIES.get("flaky").checksBy(MONITOR_AGENT).size()).as("the monitor kept checking").isGreaterThan(checksBefore);
        assertThat(bot.count("select count(*) from incidents where target = 'flaky'")).isEqualTo(1);
        assertThat(engine.imageOf(PREFIX + "flaky")).isEqualTo(FLAKY_V2);
    }

    @Test
    void aFailureStreakOpensOneRequestEvenWhenItCannotBePlanned() {
        // flaky v1 is the oldest image of its repository: there is nothing to roll back to, and the monitor says so once
        TestBot.eventually(HealthMonitorIT::monitorAnswer, a -> a.contains("could not open a rollback"), "oldest refused");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                bot.count("select count(*) from incidents where target = 'oldest'") == 1);
        assertThat(failedChecks("oldest")).isGreaterThanOrEqualTo(6);
        assertThat(engine.imageOf(PREFIX + "oldest")).isEqualTo(FLAKY_V1);
    }

    @Test
    void theMonitorWaitsWhileAnotherRollbackOfTheServiceIsPendingAndResumesAfterIt() throws Exception {
        awaitMonitorSeesHealthy("busy");
        bot.slack().command("U0DEV", "manual busy the deploy looks wrong");
        String manual = bot.awaitCard("busy");
        long manualId = bot.incidentOf(manual);
        breakHealth("busy");

        TestBot.eventually(HealthMonitorIT::monitorAnswer, a -> a.contains("`busy` — ⏸ paused by a rollback (INC-" + manualId + ")"),
                "busy paused");
        int checks = PROXIES.get("busy").checksBy(MONITOR_AGENT).size();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of busy requested")).count() == 1);
        assertThat(PROXIES.get("busy").checksBy(MONITOR_AGENT).size()).as("no checks while paused").isEqualTo(checks);
        assertThat(engine.imageOf(PREFIX + "busy")).isEqualTo(WEB_V2);

        bot.slack().command("U0DEV", "cancel INC-" + manualId);
        String automated = bot.awaitCard("busy", 1);
        assertThat(card(automated).text()).contains("Automated rollback of busy requested by 🤖 the health monitor");
        bot.awaitReply(automated, "succeeded");
        assertThat(engine.imageOf(PREFIX + "busy")).isEqualTo(WEB_V1);
    }

    @Test
    void withAutoRollbackOffTheMonitorAsksForApproval() throws Exception {
        awaitMonitorSeesHealthy("ask");
        breakHealth("ask");
        String ts = bot.awaitCard("ask");
        SlackCall card = card(ts);
        assertThat(card.text()).contains("Manual rollback of ask requested by 🤖 the health monitor");
        assertThat(card.blocks()).contains("\"Approve\"", "2 failed health checks in a row");
        TestBot.stays("nothing runs without approval", () -> assertThat(engine.imageOf(PREFIX + "ask")).isEqualTo(WEB_V2));
        assertThat(slack.thread(ts)).contains(" page: L1");

        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(engine.imageOf(PREFIX + "ask")).isEqualTo(WEB_V1);
    }

    private static SlackCall card(String ts) {
        return slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call();
    }

    private static String monitorAnswer() {
        return Json.texts(bot.slack().command("U0OBS", "monitor").body());
    }

    private static long failedChecks(String service) {
        return PROXIES.get(service).checksBy(MONITOR_AGENT).stream().filter(HealthProxy.Check::failed).count();
    }

    private static void awaitMonitorSeesHealthy(String service) {
        TestBot.eventually(() -> PROXIES.get(service).checksBy(MONITOR_AGENT).stream().anyMatch(c -> !c.failed()), ok -> ok,
                "a healthy monitor check of " + service);
    }

    private static boolean healthy(String service) {
        try {
            var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + PROXIES.get(service).port() + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Deletes the page the container's health URL serves: the real process keeps running, its health check fails. */
    private static void breakHealth(String service) throws InterruptedException {
        var client = engine.client();
        String exec = client.execCreateCmd(PREFIX + service).withCmd("/bin/busybox", "rm", "-f", "/www/health")
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);
        assertThat(healthy(service)).as(service + " broken").isFalse();
    }
}
