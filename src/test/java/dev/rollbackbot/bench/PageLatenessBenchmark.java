package dev.rollbackbot.bench;

import dev.rollbackbot.store.Database;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.timers.QuartzTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How late escalation pages fire: 240 timers on the bot's own Quartz job store (the configuration the bot runs with),
 * due over 12 seconds, each scheduled 1-2 s before it is due as a page is; lateness is the time from the due instant to
 * the handler running. Once on H2 and once on the PostgreSQL at 127.0.0.1:5432 (clustered, as with several replicas).
 */
public final class PageLatenessBenchmark {
    private static final int PAGES = 240;

    private PageLatenessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (TestDatabases.TestDatabase h2 = TestDatabases.h2()) {
            run("H2", h2);
        }
        try (TestDatabases.TestDatabase pg = TestDatabases.postgres()) {
            run("PostgreSQL (clustered)", pg);
        }
    }

    private static void run(String name, TestDatabases.TestDatabase tdb) throws Exception {
        try (Database db = Database.open(tdb.url(), tdb.user(), tdb.password())) {
            QuartzTimers timers = QuartzTimers.create(tdb.url(), tdb.user(), tdb.password(), "bench-" + name.hashCode());
            Map<Long, Instant> due = new ConcurrentHashMap<>();
            List<Long> lateMillis = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch fired = new CountDownLatch(PAGES);
            timers.on("bench", id -> {
                lateMillis.add(Duration.between(due.get(id), Instant.now()).toMillis());
                fired.countDown();
            });
            timers.start();
            try {
                Instant start = Instant.now().plusSeconds(2);
                for (int i = 0; i < PAGES; i++) {
                    Instant when = start.plusMillis(i * 50L);
                    due.put((long) i, when);
                    timers.at("bench", i, when);
                }
                if (!fired.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": only " + (PAGES - fired.getCount()) + " of " + PAGES + " pages fired");
                }
            } finally {
                timers.close();
            }
            List<Long> v = new ArrayList<>(lateMillis);
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "%-70s n=%-4d p50=%6d ms  p99=%6d ms  max=%6d ms%n",
                    "page lateness behind its due time, " + name, v.size(), v.get(v.size() / 2),
                    v.get((int) Math.ceil(0.99 * v.size()) - 1), v.get(v.size() - 1));
        }
    }
}
