package dev.rollbackbot.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.IncidentEvents;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.timers.Timers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * One service's timer fired twice at the same moment (as it can across replicas): the health URL is asked once, and
 * both firings still set the next check, so the chain of checks never breaks.
 */
class HealthMonitorClaimTest {
    private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    /** Timers that only record what is scheduled. */
    private static final class RecordedTimers implements Timers {
        final List<Instant> scheduled = new ArrayList<>();

        @Override
        public void on(String kind, LongConsumer handler) {
        }

        @Override
        public void at(String kind, long id, Instant due) {
            scheduled.add(due);
        }

        @Override
        public void cancel(String kind, long id) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aCheckFiredTwiceAtOnceAsksTheHealthUrlOnceAndBothSetTheNextCheck() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try (var h2 = TestDatabases.h2(); Database db = Database.open(h2.url(), h2.user(), h2.password())) {
            BotConfig config = ConfigLoader.parse("claim.yml", """
                    slack: {channel: C0OPS}
                    services:
                      api:
                        platform: docker
                        container: api
                        health-url: http://127.0.0.1:%d/health
                        monitor: {interval: 10s, timeout: 1s, retries: 3, start-period: 0s, auto-rollback: true}
                    """.formatted(server.getAddress().getPort()));
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            RecordedTimers timers = new RecordedTimers();
            HealthMonitor monitor = new HealthMonitor(config, timers, new HttpHealthCheck(Clock.systemUTC()),
                    s -> new Instances.Seen("registry/api:2.0", "c1"), new MonitorStates(db.jdbc()), new IncidentStore(db.jdbc()),
                    null, new IncidentEvents(new Timeline(db.jdbc())), null, new SimpleMeterRegistry(), clock, "test");

            monitor.check(0); // the first check of a service: nothing to compare with yet
            assertThat(asked.get()).isEqualTo(1);
            monitor.check(0); // the same firing again, on another replica, at the same moment
            assertThat(asked.get()).as("the duplicate firing asked the health URL again").isEqualTo(1);
            assertThat(timers.scheduled).as("each firing set the next check").containsExactly(NOW.plusSeconds(10), NOW.plusSeconds(10));
        } finally {
            server.stop(0);
        }
    }
}
