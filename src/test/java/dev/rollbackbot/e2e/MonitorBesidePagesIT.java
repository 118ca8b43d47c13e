package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health checks and escalation pages share the bot's timers: six monitored services whose health URLs hang (each check
 * holds its timer thread until its 20 s timeout) must not hold back an emergency's L1 page. The page has to go out
 * while every check is still waiting, which no amount of machine speed can fake.
 */
class MonitorBesidePagesIT {
    private static final int HANGING = 6;
    private static final String PREFIX = "rbt-mbp-";
    private static final int WEB_PORT = TestEngine.freePort();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

    private static HttpServer hanging;
    private static TestEngine engine;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.run(PREFIX + "web", WEB_V2, WEB_PORT, Map.of(), Map.of());
        hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hanging.setExecutor(Executors.newCachedThreadPool());
        hanging.createContext("/", ex -> {
            IN_FLIGHT.incrementAndGet();
            try {
                RELEASE.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hanging.start();
        StringBuilder services = new StringBuilder();
        for (int i = 0; i < HANGING; i++) {
            services.append("""
                      slow-%d:
                        platform: docker
                        container: %sslow-%d
                        health-url: http://127.0.0.1:%d/health/%d
                        monitor: {interval: 1s, timeout: 20s, retries: 3, start-period: 0s, auto-rollback: true}
                    """.formatted(i, PREFIX, i, hanging.getAddress().getPort(), i));
        }
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals: {approvers: [U0LEAD]}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 10m}
                services:
                  web: {platform: docker, container: %sweb, health-url: "http://127.0.0.1:%d/health"}
                """.formatted(PREFIX, WEB_PORT) + services, slack, engine.host());
    }

    @AfterAll
    static void stop() throws Exception {
        RELEASE.countDown();
        if (hanging != null) {
            hanging.stop(0);
        }
        TestEngine.cleanUp(engine, PREFIX, bot, slack);
    }

    @Test
    void anEmergencyIsPagedWhileEveryMonitoredServiceHangsItsHealthCheck() {
        TestBot.eventually(IN_FLIGHT::get, n -> n >= HANGING, "every monitored service's first check hanging");

        bot.slack().command("U0DEV", "emergency web checkout is down");
        String ts = bot.awaitCard("web");
        EscalationIT.awaitPages(slack, ts, 1);
        List<SlackCall> pages = EscalationIT.pages(slack, ts);
        assertThat(pages.get(0).all()).contains("page 1: L1 (DevOps Engineer)");
        // a check ends only at its 20 s timeout (as failed): none had, so the page did not wait for a timer thread
        assertThat(bot.metrics().sum("rollback_monitor_checks_total")).as("monitor checks ended before the page").isZero();
        assertThat(IN_FLIGHT.get()).as("every service checked at once").isEqualTo(HANGING);
    }
}
