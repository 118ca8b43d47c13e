package dev.rollbackbot.bench;

import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.SlackCall;
import dev.rollbackbot.testing.SlackSender;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures what an on-call engineer feels: how fast every signed command and click is acknowledged (500 commands,
 * sequential and 20 at a time), and how long from the Approve click until the service answers healthy on the
 * previous image, beside the same container swap done directly on the engine. Run with {@code bench/run}.
 */
public final class Benchmark {
    private static final int COMMANDS = 500;
    private static final int CONCURRENCY = 20;
    private static final int SWAPS = Integer.getInteger("bench.swaps", 20);
    /** The pause before each measured swap (see {@link #pause}). */
    private static final java.time.Duration THINK = java.time.Duration.ofMillis(Long.getLong("bench.think", 1500));
    /** The service's container; another name (bench.container) keeps runs of several checkouts apart. */
    private static final String CONTAINER = System.getProperty("bench.container", "rbt-bench");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        TestEngine engine = TestEngine.require();
        int port = TestEngine.freePort();
        engine.run(CONTAINER, WEB_V2, port, Map.of("MODE", "bench"), Map.of("team", "bench"));
        waitFor(port, "ok v2");
        try (FakeSlack slack = new FakeSlack();
                BotProcess bot = BotProcess.start("""
                        slack: {channel: C0OPS}
                        approvals: {approvers: [U0LEAD]}
                        services:
                          bench: {platform: docker, container: %s, health-url: "http://127.0.0.1:%d/health", ready-timeout: 30s}
                        """.formatted(CONTAINER, port), slack, engine.host())) {
            SlackSender s = bot.slack();
            boolean swapsOnly = args.length > 0 && args[0].equals("swaps");
            List<String> mix = List.of("status", "help", "emergency no-such-service", "history bench", "manual bench");
            for (int i = 0; i < (swapsOnly ? 0 : 100); i++) {
                s.command("U0DEV" + (i % 7), mix.get(i % mix.size()));
            }
            List<Long> sequential = new ArrayList<>();
            for (int i = 0; i < (swapsOnly ? 1 : COMMANDS); i++) {
                sequential.add(ack(s.command("U0DEV" + (i % 7), mix.get(i % mix.size()))));
            }
            List<Long> parallel = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < (swapsOnly ? 1 : COMMANDS); i++) {
                int n = i;
                jobs.add(pool.submit(() -> parallel.add(ack(s.command("U0DEV" + (n % 7), mix.get(n % mix.size()))))));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
            pool.shutdown();
            // clear the pending request the mix made, so the swaps below can run
            for (SlackCall card : slack.cards()) {
                String text = card.text();
                if (text.contains("INC-")) {
                    s.command("U0DEV4", "cancel " + text.substring(0, text.indexOf(':')));
                }
            }
            awaitIdle(bot, s);

            // Interleaved, so a busier or quieter moment of the machine falls on both: the bot rolls bench back to v1
            // (approved once the card shows the replacement prepared, as an approver reading it would), then the same
            // swap by hand brings it forward to v2 again.
            List<Long> clickAcks = new ArrayList<>();
            String lastThread = "";
            List<Long> botSwaps = new ArrayList<>();
            List<Long> rawSwaps = new ArrayList<>();
            long coldBot = -1;
            long coldHand = -1;
            for (int i = -1; i < SWAPS; i++) { // i = -1: the first swap of each kind, cold, reported apart
                var ack = s.command("U0DEV", "manual bench --to v1 bench run " + i);
                String ts = bot.watch().awaitCard("bench", countCards(slack));
                long id = bot.watch().incidentOf(ts);
                bot.watch().awaitCardShows(ts, "Prepared while you decide");
                pause(); // the approver reads the card: nobody clicks within milliseconds of it changing
                long t0 = System.nanoTime();
                var click = s.click("U0LEAD", "rollback_approve", id, ts);
                clickAcks.add(click.took().toNanos() / 1000);
                waitFor(port, "ok v1");
                long t1 = System.nanoTime();
                if (Boolean.getBoolean("bench.trace")) {
                    System.err.printf("bot swap: clicked at %d, healthy at %d (us)%n", t0 / 1000, t1 / 1000);
                }
                if (i < 0) {
                    coldBot = (t1 - t0) / 1_000_000;
                } else {
                    botSwaps.add((t1 - t0) / 1_000_000);
                }
                bot.watch().awaitReply(ts, "INC-" + id + " succeeded");
                if (i == SWAPS - 1) {
                    lastThread = String.join("\n", slack.threadReplies(ts).stream().map(SlackCall::text).toList());
                }
                if (ack.status() != 200) {
                    throw new IllegalStateException("request not acknowledged");
                }
                pause(); // the same quiet moment before the swap by hand (the bot's thread has caught up by then)
                long hand = rawSwap(engine, CONTAINER, WEB_V2, port);
                if (i < 0) {
                    coldHand = hand;
                } else {
                    rawSwaps.add(hand);
                }
            }

            System.out.println();
            System.out.println("== rollback-bot benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
            System.out.println("command mix: " + mix);
            report("ack, " + COMMANDS + " signed commands, sequential", sequential);
            report("ack, " + COMMANDS + " signed commands, " + CONCURRENCY + " at a time", parallel);
            report("ack, Approve clicks", clickAcks);
            report("Approve click -> service healthy on the previous image (bot)", botSwaps);
            report("same swap on the raw engine: stop, remove, create, start, healthy", rawSwaps);
            System.out.printf(Locale.ROOT, "first swap of each (cold: the bot's first Approve since it started; not in the figures"
                    + " above): bot %d ms, by hand %d ms%n", coldBot, coldHand);
            System.out.println("(the bot runs as the README starts it, bin/rollback-bot, in a JVM of its own; its replacement was"
                    + " created while the approval waited; after Approve it checks the pins, stops the old container and starts"
                    + " the new one, and renames both once the new one runs)");
            System.out.println("(the runbook's docker-rollback.sh waits a fixed 60 s before its first health check)");
            System.out.println("\nthe bot's own thread for the last swap:\n" + lastThread);
        } finally {
            engine.removeAll(CONTAINER);
        }
    }

    /**
     * A person's pause before a swap, the same before the bot's click and the hand swap's first command, so that neither
     * starts while the other's aftermath (the bot's thread catching up, podman's clean-up) still runs.
     */
    private static void pause() {
        org.awaitility.Awaitility.await().pollDelay(THINK).atMost(THINK.plusSeconds(1)).until(() -> true);
    }

    private static int countCards(FakeSlack slack) {
        return (int) slack.postedCards().stream().filter(c -> c.call().text().contains("rollback of bench requested")).count();
    }

    private static void awaitIdle(BotProcess bot, SlackSender s) {
        TestBot.eventually(() -> bot.watch().awaitResponse(s.command("U0X", "status").responseUrl()),
                t -> t.contains("No rollback is pending"), "no pending rollback");
    }

    private static long ack(SlackSender.Reply r) {
        if (r.status() != 200) {
            throw new IllegalStateException("HTTP " + r.status() + ": " + r.body());
        }
        return r.took().toNanos() / 1000;
    }

    /**
     * The container swap the bot does, done directly: stop, remove, create with the same settings, start, healthy.
     * Healthy is seen by the same outside poller as the bot's swap, polling from the first command on (as it polls
     * from the click), so both swaps share the machine with it alike.
     */
    private static long rawSwap(TestEngine engine, String name, String image, int port) throws Exception {
        var c = engine.client();
        long t0 = System.nanoTime();
        CompletableFuture<Long> healthyAt = CompletableFuture.supplyAsync(() -> {
            waitFor(port, image.equals(WEB_V1) ? "ok v1" : "ok v2");
            return System.nanoTime();
        });
        InspectContainerResponse old = c.inspectContainerCmd(name).exec();
        long t1 = System.nanoTime();
        c.stopContainerCmd(name).withTimeout(10).exec();
        long t2 = System.nanoTime();
        c.removeContainerCmd(name).exec();
        long t3 = System.nanoTime();
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(8080), Ports.Binding.bindIpAndPort("127.0.0.1", port));
        String id = c.createContainerCmd(image).withName(name).withEnv(List.of("MODE=bench"))
                .withLabels(old.getConfig().getLabels()).withExposedPorts(ExposedPort.tcp(8080))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(ports).withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
                .exec().getId();
        long t4 = System.nanoTime();
        c.startContainerCmd(id).exec();
        long t5 = System.nanoTime();
        long t6 = healthyAt.get(60, TimeUnit.SECONDS);
        if (Boolean.getBoolean("bench.trace")) {
            System.err.printf("hand swap: inspect %d, stop %d, remove %d, create %d, start %d, healthy %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000,
                    (t5 - t4) / 1_000_000, (t6 - t5) / 1_000_000);
        }
        return (t6 - t0) / 1_000_000;
    }

    /** Polls the health URL every 5 ms (see {@link HealthProbe}) until it answers 200 with {@code body}. */
    private static void waitFor(int port, String body) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (HealthProbe.answers(port, body, Duration.ofMillis(250))) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        throw new IllegalStateException("port " + port + " never answered " + body);
    }

    /** Values are microseconds for acks (shown in ms) and milliseconds for swaps. */
    private static void report(String what, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        boolean micros = what.startsWith("ack");
        double scale = micros ? 1000.0 : 1.0;
        System.out.printf(Locale.ROOT, "%-70s n=%-4d p50=%8.1f ms  p99=%8.1f ms  max=%8.1f ms%n", what, v.size(),
                pct(v, 50) / scale, pct(v, 99) / scale, v.get(v.size() - 1) / scale);
    }

    private static double pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
