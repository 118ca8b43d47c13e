package dev.rollbackbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.PrometheusText;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on the first scrape of a bot that has done nothing yet, parsed as Prometheus reads it: the JVM's and
 * the process's meters, HTTP meters per route, and the bot's own counters and timers present at zero.
 */
class FirstScrapeIT {
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 10m}
                    - {name: L2, role: Technical Lead, notify: [U0TECH], respond-within: 30m}
                services:
                  api:
                    platform: docker
                    container: rbt-i9-scrape-api
                    health-url: http://127.0.0.1:%d/health
                    monitor: {interval: 1h, timeout: 1s, retries: 3, start-period: 1h, auto-rollback: true}
                """.formatted(TestEngine.freePort()), slack, TestEngine.DEFAULT_HOST);
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
    }

    @Test
    void theFirstScrapeHasJvmProcessAndHttpMetersAndTheBotsOwnAtZero() {
        PrometheusText m = bot.metrics();
        assertThat(m.type("jvm_memory_used_bytes")).contains("gauge");
        assertThat(m.samples("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(m.samples("jvm_threads_live_threads")).isNotEmpty();
        assertThat(m.samples("jvm_classes_loaded_classes")).isNotEmpty();
        assertThat(m.value("process_uptime_seconds").orElseThrow()).isPositive();
        assertThat(m.samples("process_cpu_usage")).isNotEmpty();
        assertThat(m.samples("system_cpu_count")).isNotEmpty();
        assertThat(m.type("http_server_requests_seconds")).contains("summary");

        for (String event : RollbackMeters.EVENTS) {
            for (String kind : new String[] {"manual", "emergency", "automated", "drill"}) {
                assertThat(m.value("rollback_incidents_total", "event", event, "kind", kind, "service", "api", "drill",
                        String.valueOf(kind.equals("drill")))).as(kind + " " + event).hasValue(0);
            }
        }
        assertThat(m.samples("rollback_incidents_total")).noneMatch(s -> s.labels().get("kind").equals("validate")
                || s.labels().get("kind").equals("data") || s.labels().get("kind").equals("blue-green"));
        assertThat(m.value("rollback_duration_seconds_count", "kind", "manual", "service", "api", "outcome", "succeeded",
                "drill", "false")).hasValue(0);
        assertThat(m.value("rollback_duration_seconds_count", "kind", "automated", "service", "api", "outcome", "failed",
                "drill", "false")).hasValue(0);
        assertThat(m.value("rollback_approval_wait_seconds_count", "kind", "manual", "drill", "false")).hasValue(0);
        assertThat(m.value("rollback_pages_total", "level", "L1", "drill", "false")).hasValue(0);
        assertThat(m.value("rollback_pages_total", "level", "L2", "drill", "false")).hasValue(0);
        assertThat(m.value("rollback_pages_total", "level", "L1", "drill", "true")).hasValue(0);
        assertThat(m.value("rollback_page_failures_total")).hasValue(0);
        assertThat(m.value("rollback_time_to_acknowledge_seconds_count")).hasValue(0);
        assertThat(m.value("rollback_monitor_actions_total", "service", "api", "action", "automated")).hasValue(0);
        assertThat(m.value("rollback_monitor_checks_total", "service", "api", "result", "failed")).hasValue(0);
        assertThat(m.value("rollback_downtime_seconds_count", "service", "api")).hasValue(0);
        for (String check : List.of("health", "postgres", "redis", "endpoints", "response_time", "min_tables")) {
            for (String result : List.of("passed", "failed", "skipped")) {
                assertThat(m.value("rollback_validation_checks_total", "check", check, "result", result, "drill", "false")).as(check).hasValue(0);
                assertThat(m.value("rollback_validation_checks_total", "check", check, "result", result, "drill", "true")).as(check).hasValue(0);
            }
        }
    }

    @Test
    void eachAnsweredRequestIsCountedOnceUnderItsRouteNeverItsRawPath() throws Exception {
        String[] health = {"method", "GET", "uri", "/health", "status", "200"};
        String[] other = {"method", "GET", "uri", "other", "status", "404"};
        PrometheusText before = bot.metrics();
        get("/health");
        get("/no-such-page-" + System.nanoTime());
        PrometheusText after = bot.metrics();
        assertThat(after.counter("http_server_requests_seconds_count", health) - before.counter("http_server_requests_seconds_count", health))
                .isEqualTo(1);
        assertThat(after.counter("http_server_requests_seconds_count", other) - before.counter("http_server_requests_seconds_count", other))
                .isEqualTo(1);
        assertThat(after.samples("http_server_requests_seconds_count")).noneMatch(s -> s.labels().get("uri").startsWith("/no-such"));
        // the scrape itself is counted, once it has been answered
        assertThat(after.counter("http_server_requests_seconds_count", "method", "GET", "uri", "/metrics", "status", "200")).isPositive();
    }

    private static int get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
