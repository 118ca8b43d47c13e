package dev.rollbackbot.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.ServiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the validation without I/O: the lines, the report, what a scope holds, where an endpoint is. */
class ReportTest {
    private static final BotConfig CONFIG = ConfigLoader.parse("validation.yml", """
            slack: {channel: C0OPS}
            services:
              api: {platform: docker, container: api, health-url: "https://api.example.com:8443/health", depends-on: [db, cache]}
              worker: {platform: docker, container: worker, health-url: "http://worker:8080/ready", depends-on: [db, queue]}
              web: {platform: docker, container: web, health-url: "http://web/health"}
            datastores:
              db: {type: postgres, host: 10.0.0.5, database: app, min-tables: 5}
              cache: {type: redis, container: cache}
              queue: {type: redis, host: 10.0.0.6}
            """);

    @Test
    void aLineReadsBackAsItsResultAndText() {
        CheckResult r = CheckResult.failed(Check.REDIS, "cache", "did not answer.\n", Duration.ofMillis(30));
        assertThat(r.line()).isEqualTo("[failed] cache, Redis answers PONG: did not answer (30 ms)");
        assertThat(CheckResult.parse(r.line())).contains(new CheckResult.Line(CheckResult.Result.FAILED,
                "cache, Redis answers PONG: did not answer (30 ms)"));
        assertThat(CheckResult.skipped(Check.ENDPOINTS, "web", "no endpoints configured").line())
                .isEqualTo("[skipped] web, every endpoint answers 200: no endpoints configured");
        assertThat(CheckResult.parse("3 passed, 0 failed")).isEmpty();
        assertThat(CheckResult.parse("[maybe] something")).isEmpty();
    }

    @Test
    void aReportPassesOnlyWithoutAFailureAndSkippedLinesDoNotCountAsPassed() {
        Report ok = new Report("api", List.of(CheckResult.passed(Check.HEALTH, "api", "answered 200", Duration.ofMillis(5)),
                CheckResult.skipped(Check.MIN_TABLES, "db", "min-tables is not set")), Duration.ofMillis(7));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.text()).startsWith("1 passed, 0 failed, 1 skipped in 7 ms\n[passed] api, health URL answers 200");
        Report bad = new Report("api", List.of(ok.results().get(0), CheckResult.failed(Check.MIN_TABLES, "db", "app has 3 tables",
                Duration.ofMillis(9))), Duration.ofMillis(12));
        assertThat(bad.passed()).isFalse();
        assertThat(bad.text()).startsWith("validation of api failed 1 of 2 checks (min_tables db); 1 passed, 1 failed, 0 skipped")
                .contains("\n[failed] db, at least min-tables tables: app has 3 tables (9 ms)");
    }

    @Test
    void aServiceBringsItsDatastoresAndADatastoreItsServicesEachOnce() {
        Scope api = Scope.ofService(CONFIG, CONFIG.service("api").orElseThrow());
        assertThat(api.services()).extracting(ServiceConfig::name).containsExactly("api");
        assertThat(api.datastores()).extracting(DatastoreConfig::name).containsExactly("db", "cache");
        Scope db = Scope.ofDatastore(CONFIG, CONFIG.datastore("db").orElseThrow());
        assertThat(db.name()).isEqualTo("db and api, worker");
        assertThat(db.services()).extracting(ServiceConfig::name).containsExactly("api", "worker");
        assertThat(db.datastores()).extracting(DatastoreConfig::name).containsExactly("db", "cache", "queue");
        Scope alone = Scope.ofDatastore(CONFIG, CONFIG.datastore("queue").orElseThrow());
        assertThat(alone.name()).isEqualTo("queue and worker");
        Scope web = Scope.ofService(CONFIG, CONFIG.service("web").orElseThrow());
        assertThat(web.datastores()).isEmpty();
        assertThat(web.subject()).isEqualTo("web");
    }

    @Test
    void anEndpointIsResolvedAgainstTheHealthUrlsSchemeHostAndPort() {
        assertThat(ServiceChecks.resolve(URI.create("https://api.example.com:8443/health"), "/api/queues?limit=1"))
                .isEqualTo(URI.create("https://api.example.com:8443/api/queues?limit=1"));
        assertThat(ServiceChecks.resolve(URI.create("http://web/x/health"), "/api")).isEqualTo(URI.create("http://web/api"));
    }
}
