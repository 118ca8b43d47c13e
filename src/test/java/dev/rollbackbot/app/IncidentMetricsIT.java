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
 * {@code /metrics} as Prometheus reads it: each incident outcome moves {@code rollback_incidents_total{event=...}}
 * by exactly one, and a finished rollback is timed in {@code rollback_duration} by kind and outcome.
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
        assertThat(PrometheusText.moved(before.byLabel(INCIDENTS, "event"), after.byLabel(INCIDENTS, "event")))
                .isEqualTo(Map.of("requested", 1.0, "cancelled", 1.0));
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
        PrometheusText after = TestBot.eventually(bot::metrics, m -> m.counter(INCIDENTS, "event", "succeeded")
                > before.counter(INCIDENTS, "event", "succeeded"), "the succeeded counter to move");
        assertThat(PrometheusText.moved(before.byLabel(INCIDENTS, "event"), after.byLabel(INCIDENTS, "event")))
                .isEqualTo(Map.of("requested", 1.0, "succeeded", 1.0));
        assertThat(PrometheusText.moved(durations(before), durations(after))).isEqualTo(Map.of("manual/succeeded", 1.0));
        assertThat(after.counter("rollback_duration_seconds_sum", "kind", "manual", "outcome", "succeeded"))
                .isGreaterThan(before.counter("rollback_duration_seconds_sum", "kind", "manual", "outcome", "succeeded"));
    }

    /** Timed rollbacks per kind/outcome. */
    private static Map<String, Double> durations(PrometheusText scrape) {
        Map<String, Double> out = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.samples(DURATION_COUNT)) {
            out.put(s.labels().get("kind") + "/" + s.labels().get("outcome"), s.value());
        }
        return out;
    }
}
