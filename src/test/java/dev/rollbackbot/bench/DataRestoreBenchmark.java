package dev.rollbackbot.bench;

import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A PostgreSQL restore of a database of at least 100 MB of rows through the bot (second Approve click to the thread's
 * "succeeded": dump of the live data, restore into a new database, verify, swap, check) beside a plain
 * {@code createdb} + {@code gunzip -c backup | psql} of the same backup, interleaved in the same run.
 * Run by {@code bench/run} (or alone: {@code bench/run data}).
 */
public final class DataRestoreBenchmark {
    private static final String LIVE = "rbt_i8_bench";
    private static final String PLAIN = "rbt_i8_bench_plain";
    private static final int ROWS = Integer.getInteger("bench.rows", 1_100_000);
    private static final int N = Integer.getInteger("bench.n", 3);

    private DataRestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        TestPostgres.dropAll("rbt_i8_bench");
        Path backups = Files.createTempDirectory("rbt-i8-bench-backups");
        TestPostgres.create(LIVE);
        TestPostgres.exec(LIVE, "create table queue_events (id bigint primary key, queue int not null, who text not null,"
                + " what text not null, at timestamptz not null)",
                "insert into queue_events select g, g % 500, md5(g::text), md5((g * 7)::text) || md5((g * 13)::text), now() - g * interval '1 second'"
                        + " from generate_series(1, " + ROWS + ") g",
                "create index on queue_events (queue)", "vacuum analyze queue_events");
        long bytes = Long.parseLong(TestPostgres.column(LIVE, "select pg_database_size(current_database())").get(0));
        Path backup = backups.resolve("bench-nightly.sql.gz");
        long d0 = System.nanoTime();
        TestPostgres.dump(LIVE, backup);
        long dumpMs = (System.nanoTime() - d0) / 1_000_000;
        System.out.printf(Locale.ROOT, "database %s: %d rows, %.0f MB; backup %.0f MB gzipped (pg_dump | gzip took %d ms)%n", LIVE, ROWS,
                bytes / 1e6, Files.size(backup) / 1e6, dumpMs);
        List<Long> bot = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        List<String> splits = new ArrayList<>();
        try (FakeSlack slack = new FakeSlack();
                TestBot b = TestBot.start("""
                        slack: {channel: C0OPS}
                        approvals: {approvers: [U0LEAD, U0SRE]}
                        services:
                          app: {platform: docker, container: rbt-i8-bench-app, health-url: "http://127.0.0.1:9/"}
                        datastores:
                          bench: {type: postgres, host: 127.0.0.1, port: 5432, database: %s, user: postgres, backups: %s, min-tables: 1}
                        """.formatted(LIVE, backups), slack, null)) {
            for (int i = 0; i < N; i++) {
                plain.add(plainRestore(backup));
                TestPostgres.exec("postgres", "drop database " + PLAIN + " with (force)");

                b.slack().command("U0DEV", "data bench --backup bench-nightly.sql.gz bench " + i);
                String ts = b.awaitCard("bench", i);
                long id = b.incidentOf(ts);
                b.slack().click("U0LEAD", "rollback_approve", id, ts);
                long t0 = System.nanoTime();
                b.slack().click("U0SRE", "rollback_approve", id, ts);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(10)).pollInterval(java.time.Duration.ofMillis(20))
                        .until(() -> slack.thread(ts).contains("INC-" + id + " succeeded") || slack.thread(ts).contains("INC-" + id + " failed"));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String thread = slack.thread(ts);
                if (!thread.contains("succeeded")) {
                    throw new IllegalStateException("the bot's restore failed:\n" + thread);
                }
                bot.add(ms);
                splits.add(thread.lines().filter(l -> l.contains(" done in ")).map(l -> l.replaceAll("^.*(Step \\d/\\d) done in ([^:]+):.*$", "$1 $2"))
                        .reduce((x, y) -> x + ", " + y).orElse(""));
                TestPostgres.exec("postgres", "drop database " + LIVE + "_pre_inc_" + id + " with (force)");
                Files.deleteIfExists(backups.resolve("bench-pre-inc-" + id + ".sql.gz"));
            }
        } finally {
            TestPostgres.dropAll("rbt_i8_bench");
        }
        report("restore of the same backup, plain: createdb + gunzip -c backup | psql", plain);
        report("restore through the bot (2nd Approve -> succeeded: dump live, restore new, verify, swap)", bot);
        List<Long> p = sorted(plain);
        List<Long> q = sorted(bot);
        System.out.printf(Locale.ROOT, "bot / plain (p50): %.2fx%n", q.get(q.size() / 2) / (double) p.get(p.size() / 2));
        splits.forEach(s -> System.out.println("  bot's steps: " + s));
    }

    private static long plainRestore(Path backup) throws Exception {
        long t0 = System.nanoTime();
        run(List.of("createdb", "-h", TestPostgres.HOST, "-U", "postgres", PLAIN));
        // the runbook's own pipeline, through a shell as the runbook runs it (the benchmark's baseline, not the bot)
        run(List.of("bash", "-o", "pipefail", "-c", "gunzip -c \"$0\" | psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d " + PLAIN
                + " > /dev/null", backup.toString()));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static List<Long> sorted(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        return s;
    }

    private static void report(String what, List<Long> values) {
        List<Long> v = sorted(values);
        System.out.printf(Locale.ROOT, "%-95s n=%d p50=%6d ms  max=%6d ms%n", what, v.size(), v.get(v.size() / 2), v.get(v.size() - 1));
    }
}
