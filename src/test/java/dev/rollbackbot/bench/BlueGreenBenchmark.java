package dev.rollbackbot.bench;

import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeCluster;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import dev.rollbackbot.testing.TestNginx;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Approve -> traffic on the other colour through a real nginx (beside the runbook's {@code nginx -t && nginx -s reload}
 * done directly, in the same run), and Approve -> rollout complete on the mock cluster. Run by {@code bench/run}
 * after the Docker figures, or alone with {@code bench/run blue-green}.
 */
public final class BlueGreenBenchmark {
    private static final int N = 5;
    private static final String BOX = "rbt-i7-bench-nginx";

    private BlueGreenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (ColourServer blue = new ColourServer("blue"); ColourServer green = new ColourServer("green");
                FakeCluster cluster = new FakeCluster()) {
            Map<String, Integer> ups = new LinkedHashMap<>();
            ups.put("blue", blue.port());
            ups.put("green", green.port());
            TestNginx nginx = TestNginx.start(ups, "blue");
            TestNginx direct = TestNginx.start(ups, "blue");
            TestEngine engine = TestEngine.require();
            engine.buildNginxImage();
            int boxPort = TestEngine.freePort();
            engine.runNginx(BOX, Map.of("/etc/rbt/nginx.conf", TestNginx.mainConf("/etc/rbt", ups, "/etc/rbt/site.conf"),
                    "/etc/rbt/site.conf", TestNginx.siteText(boxPort, "blue")), "/etc/rbt/nginx.conf");
            waitFor("http://127.0.0.1:" + boxPort + "/", "200 blue");
            cluster.deploy("prod", "bench", 3, "reg/bench:1");
            TestBot.eventually(() -> cluster.rolledOut("prod", "bench"), ok -> ok, "bench rolled out");
            try (FakeSlack slack = new FakeSlack();
                    TestBot bot = TestBot.startWithEnv("""
                            slack: {channel: C0OPS}
                            approvals: {approvers: [U0LEAD]}
                            services:
                              web:
                                platform: docker
                                health-url: %s
                                ready-timeout: 10s
                                blue-green: {via: nginx, config: %s, nginx-conf: %s}
                              box:
                                platform: docker
                                health-url: http://127.0.0.1:%s/health
                                ready-timeout: 10s
                                blue-green: {via: nginx, config: /etc/rbt/site.conf, nginx-conf: /etc/rbt/nginx.conf, container: %s}
                              kube: {platform: kubernetes, namespace: prod, deployment: bench, health-url: "%s", ready-timeout: 30s}
                            """.formatted(nginx.url("/health"), nginx.site(), nginx.conf(), boxPort, BOX,
                            "http://127.0.0.1:" + blue.port() + "/"),
                            slack, engine.host(), Map.of("KUBECONFIG", cluster.kubeconfig()))) {
                SlackSender s = bot.slack();
                List<Long> switches = new ArrayList<>();
                String live = "blue";
                for (int i = 0; i < N; i++) {
                    String next = live.equals("blue") ? "green" : "blue";
                    s.command("U0DEV", "blue-green web bench " + i);
                    String ts = bot.awaitCard("web", i);
                    long id = bot.incidentOf(ts);
                    bot.awaitCardShows(ts, "Prepared while you decide"); // clicked once the card shows it, as an approver would
                    long t0 = System.nanoTime();
                    s.click("U0LEAD", "rollback_approve", id, ts);
                    waitFor(nginx.url("/"), "200 " + next);
                    switches.add((System.nanoTime() - t0) / 1_000_000);
                    bot.awaitReply(ts, "INC-" + id + " succeeded");
                    live = next;
                }
                List<Long> boxed = new ArrayList<>();
                live = "blue";
                for (int i = 0; i < N; i++) {
                    String next = live.equals("blue") ? "green" : "blue";
                    s.command("U0DEV", "blue-green box bench " + i);
                    String ts = bot.awaitCard("box", i);
                    long id = bot.incidentOf(ts);
                    bot.awaitCardShows(ts, "Prepared while you decide");
                    long t0 = System.nanoTime();
                    s.click("U0LEAD", "rollback_approve", id, ts);
                    waitFor("http://127.0.0.1:" + boxPort + "/", "200 " + next);
                    boxed.add((System.nanoTime() - t0) / 1_000_000);
                    bot.awaitReply(ts, "INC-" + id + " succeeded");
                    live = next;
                }
                List<Long> raw = new ArrayList<>();
                live = "blue";
                for (int i = 0; i < N; i++) {
                    String next = live.equals("blue") ? "green" : "blue";
                    long t0 = System.nanoTime();
                    Files.writeString(direct.site(), Files.readString(direct.site()).replace("http://" + live + ";", "http://" + next + ";"));
                    direct.testAndReload();
                    waitFor(direct.url("/"), "200 " + next);
                    raw.add((System.nanoTime() - t0) / 1_000_000);
                    live = next;
                }
                List<Long> rollouts = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    String release = "reg/bench:" + (i + 2);
                    cluster.setImage("prod", "bench", release);
                    TestBot.eventually(() -> cluster.rolledOut("prod", "bench") && release.equals(cluster.image("prod", "bench")),
                            ok -> ok, release + " rolled out");
                    s.command("U0DEV", "manual kube bench " + i);
                    String ts = bot.awaitCard("kube", i);
                    long id = bot.incidentOf(ts);
                    bot.awaitCardShows(ts, "Prepared while you decide");
                    long t0 = System.nanoTime();
                    s.click("U0LEAD", "rollback_approve", id, ts);
                    while (release.equals(cluster.image("prod", "bench")) || !cluster.rolledOut("prod", "bench")) {
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                    rollouts.add((System.nanoTime() - t0) / 1_000_000);
                    bot.awaitReply(ts, "INC-" + id + " succeeded");
                }
                System.out.println();
                report("Approve click -> traffic on the other colour through nginx (bot)", switches);
                report("Approve click -> traffic on the other colour through nginx in a container (bot, Docker API)", boxed);
                report("same switch done directly: rewrite, nginx -t && nginx -s reload, other colour", raw);
                report("Approve click -> rollout complete on the mock cluster (3 replicas)", rollouts);
                System.out.println("(the runbook's blue-green script sleeps a fixed 30 s after the reload)");
            } finally {
                nginx.close();
                direct.close();
                engine.remove(BOX);
            }
        }
    }

    private static void waitFor(String url, String answer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ColourServer.get(url).equals(answer)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " never answered " + answer);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    private static void report(String what, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        System.out.printf(Locale.ROOT, "%-80s n=%-2d p50=%6d ms  p99=%6d ms%n", what, v.size(), v.get(v.size() / 2), v.get(v.size() - 1));
    }
}
