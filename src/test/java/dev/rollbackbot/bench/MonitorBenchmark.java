package dev.rollbackbot.bench;

import static dev.rollbackbot.testing.TestEngine.WEB_V2;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Detection to healthy for an automated rollback on podman: a service's health page is deleted (the process keeps
 * running, as a bad deploy would), and the clock runs until its health URL answers 200 again on the previous image,
 * with the health monitor as the only actor. Split into detection (the break to the incident the monitor opens) and
 * the rollback (the incident to healthy). The runbook's budget for this is 2 minutes.
 *
 * <p>Arguments: runs (default 3), then the monitor's interval, timeout and retries (default the runbook's own: 30s,
 * 10s, 3). The start period is 0s: each container has been running for a while when it is broken.
 */
public final class MonitorBenchmark {
    private static final String PREFIX = "rbt-bench-mon-";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String interval = args.length > 1 ? args[1] : "30s";
        String timeout = args.length > 2 ? args[2] : "10s";
        int retries = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        TestEngine engine = TestEngine.require();
        engine.removeAll(PREFIX);
        int[] ports = new int[runs];
        StringBuilder services = new StringBuilder();
        for (int i = 0; i < runs; i++) { // one service per run: a version the monitor rolled back from is never rolled back to again
            ports[i] = TestEngine.freePort();
            engine.run(PREFIX + i, WEB_V2, ports[i], Map.of(), Map.of());
            services.append("""
                      mon-%d:
                        platform: docker
                        container: %s%d
                        health-url: http://127.0.0.1:%d/health
                        ready-timeout: 30s
                        monitor: {interval: %s, timeout: %s, retries: %d, start-period: 0s, auto-rollback: true}
                    """.formatted(i, PREFIX, i, ports[i], interval, timeout, retries));
        }
        List<long[]> results = new ArrayList<>();
        try (FakeSlack slack = new FakeSlack();
                TestBot bot = TestBot.start("""
                        slack: {channel: C0OPS}
                        approvals: {approvers: [U0LEAD]}
                        escalation:
                          levels:
                            - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 15m}
                        services:
                        """ + services, slack, engine.host())) {
            for (int i = 0; i < runs; i++) {
                int port = ports[i];
                awaitHealthy(port, Duration.ofSeconds(30)); // before it is broken
                long broken = System.currentTimeMillis();
                breakHealth(engine, PREFIX + i);
                awaitHealthy(port, Duration.ofMinutes(5));
                long healthy = System.currentTimeMillis();
                long opened = openedAt(bot, "mon-" + i);
                results.add(new long[] {opened - broken, healthy - opened, healthy - broken});
                System.out.printf("run %d: detection %,d ms, rollback to healthy %,d ms, total %,d ms%n", i + 1, opened - broken,
                        healthy - opened, healthy - broken);
            }
        } finally {
            engine.removeAll(PREFIX);
        }
        System.out.println();
        System.out.println("== automated rollback, detection to healthy (podman, monitor interval " + interval + ", timeout " + timeout
                + ", retries " + retries + ", n=" + runs + ")");
        report("health page deleted -> incident opened by the monitor (detection)", results, 0);
        report("incident opened -> health URL 200 on the previous image (rollback)", results, 1);
        report("health page deleted -> healthy again (the runbook's budget: 2 min)", results, 2);
    }

    private static void report(String what, List<long[]> results, int column) {
        List<Long> v = results.stream().map(r -> r[column]).sorted().toList();
        System.out.printf("%-75s p50 %,7d ms  max %,7d ms%n", what, v.get(v.size() / 2), v.get(v.size() - 1));
    }

    /** Deletes the page the health URL serves: the process keeps running, its health check fails. */
    private static void breakHealth(TestEngine engine, String container) throws InterruptedException {
        var client = engine.client();
        String exec = client.execCreateCmd(container).withCmd("/bin/busybox", "rm", "-f", "/www/health")
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);
    }

    private static void awaitHealthy(int port, Duration within) {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(10)).alias("health 200 on port " + port)
                .until(() -> status(port) == 200);
    }

    private static int status(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** When the monitor opened the automated incident of {@code service} (its REQUESTED event). */
    private static long openedAt(TestBot bot, String service) throws Exception {
        try (Connection c = bot.openDatabase(); PreparedStatement ps = c.prepareStatement("select e.at from incident_events e join"
                + " incidents i on i.id = e.incident_id where i.target = ? and i.kind = 'AUTOMATED' and e.type = 'REQUESTED'")) {
            ps.setString(1, service);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(service + " was healthy again without an automated incident");
                }
                return rs.getLong(1);
            }
        }
    }
}
