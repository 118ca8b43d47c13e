package dev.rollbackbot.app;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.PrometheusText;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus reads it: each incident outcome moves {@code rollback_incidents_total} of its kind,
 * service and event by exactly one (drill="false"), a finished rollback is timed in the {@code rollback_duration}
 * histogram by kind, service and outcome, and the approval wait of a run that needed one is timed.
 */
class IncidentMetricsIT {
    private static final String INCIDENTS = "rollback_incidents_total";
    private static final String DURATION_COUNT = "rollback_duration_seconds_count";

    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        slack = new FakeSlack();
        StringBuilder services = new StringBuilder();
        for (String s : new String[] {"cancelled", "succeeded"}) {
            int port = TestEngine.freePort();
            services.append("""
                      %s:
                        platform: docker
                        container: rbt-met-%s
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: 20s
                    """.formatted(s, s, port));
            engine.run("rbt-met-" + s, WEB_V2, port, Map.of(), Map.of());
        }
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                  required: {manual: 1, emergency: 1}
                services:
                """ + services, slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, "rbt-met-", bot, slack);
    }

    @Test
    void aCancelledRequestCountsOneRequestedAndOneCancelledIncidentAndTimesNothing() {
        PrometheusText before = bot.metrics();
        bot.slack().command("U0DEV", "manual cancelled");
        String ts = bot.awaitCard("cancelled");
        long id = bot.incidentOf(ts);
        var cancel = bot.slack().command("U0DEV", "cancel INC-" + id);
        assertThat(bot.awaitResponse(cancel.responseUrl())).contains("You cancelled INC-" + id);

        PrometheusText after = bot.metrics();
        assertThat(after.type(INCIDENTS)).contains("counter");
        assertThat(PrometheusText.moved(events(before, "cancelled"), events(after, "cancelled")))
                .isEqualTo(Map.of("manual/requested/false", 1.0, "manual/cancelled/false", 1.0));
        assertThat(PrometheusText.moved(durations(before), durations(after))).isEmpty();
        assertThat(engine.imageOf("rbt-met-cancelled")).isEqualTo(WEB_V2);
    }

    @Test
    void aSucceededRollbackCountsOneSucceededIncidentAndIsTimedOnceByKindAndOutcome() {
        PrometheusText before = bot.metrics();
        bot.slack().command("U0DEV", "manual succeeded");
        String ts = bot.awaitCard("succeeded");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", "rollback_approve", id, ts);
        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(engine.imageOf("rbt-met-succeeded")).isEqualTo(WEB_V1);

        // the Slack reply and the metrics hear the same event on different threads: wait for the counter, then be exact
        PrometheusText after = TestBot.eventually(bot::metrics, m -> m.sum(INCIDENTS, "event", "succeeded")
                > before.sum(INCIDENTS, "event", "succeeded"), "the succeeded counter to move");
        assertThat(PrometheusText.moved(events(before, "succeeded"), events(after, "succeeded")))
                .isEqualTo(Map.of("manual/requested/false", 1.0, "manual/succeeded/false", 1.0));
        assertThat(PrometheusText.moved(durations(before), durations(after))).isEqualTo(Map.of("manual/succeeded/succeeded/false", 1.0));
        assertThat(after.counter("rollback_duration_seconds_sum", "kind", "manual", "service", "succeeded", "outcome", "succeeded",
                "drill", "false")).isGreaterThan(0);
        // a histogram: the run (a second or two on podman) is within the 2-minute bucket, the automated budget
        assertThat(after.counter("rollback_duration_seconds_bucket", "kind", "manual", "service", "succeeded", "outcome", "succeeded",
                "drill", "false", "le", "120.0")).isEqualTo(1);
        assertThat(after.sum("rollback_approval_wait_seconds_count", "kind", "manual", "drill", "false"))
                .isEqualTo(before.sum("rollback_approval_wait_seconds_count", "kind", "manual", "drill", "false") + 1);
    }

    /** Timed rollbacks per kind/service/outcome/drill. */
    private static Map<String, Double> durations(PrometheusText scrape) {
        Map<String, Double> out = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.samples(DURATION_COUNT)) {
            Map<String, String> l = s.labels();
            out.put(l.get("kind") + "/" + l.get("service") + "/" + l.get("outcome") + "/" + l.get("drill"), s.value());
        }
        return out;
    }

    /** The incidents of one service by event, each key kind/event/drill. */
    private static Map<String, Double> events(PrometheusText scrape, String service) {
        Map<String, Double> out = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.samples(INCIDENTS)) {
            Map<String, String> l = s.labels();
            if (service.equals(l.get("service"))) {
                out.merge(l.get("kind") + "/" + l.get("event") + "/" + l.get("drill"), s.value(), Double::sum);
            }
        }
        return out;
    }
}
