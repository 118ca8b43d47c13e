package dev.rollbackbot.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.NewIncident;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.IncidentEvents;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.timers.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's matrix over hours, without waiting hours: time and timers are fakes the test advances (Quartz is tested
 * for real in EscalationIT and EscalationRestartIT). L1 at once, L2 after 15 min, L3 after 30 more, L4 after an hour
 * more, then L4 again every 2 hours until someone acknowledges; nothing after that.
 */
class EscalationClockTest {
    private static final Instant T0 = Instant.parse("2026-11-29T03:00:00Z");

    private TestDatabases.TestDatabase testDb;
    private Database db;
    private final MutableClock clock = new MutableClock(T0);
    private final FakeTimers timers = new FakeTimers();
    private final List<String> pages = new ArrayList<>();
    private Escalations escalations;
    private Incident incident;

    @BeforeEach
    void start() {
        testDb = TestDatabases.h2();
        db = Database.open(testDb.url(), testDb.user(), testDb.password());
        var jdbc = db.jdbc();
        var store = new IncidentStore(jdbc);
        incident = store.create(new NewIncident(RollbackKind.EMERGENCY, "api-prod", List.of("api-prod"), Requester.person("U0DEV"),
                "500s", "C0OPS", 1, T0.plus(Duration.ofDays(1))), T0);
        store.attachMessage(incident.id(), "C0OPS", "1700000000.0001");
        Pager recording = page -> {
            pages.add(Duration.between(T0, clock.instant()).toMinutes() + " min " + page.level().name() + " #" + page.pageNo());
            return List.of();
        };
        var settings = new ApprovalSettings(List.of("U0LEAD"), Map.of(), false, Duration.ofDays(1));
        escalations = new Escalations(new EscalationStore(jdbc), store, new IncidentEvents(new Timeline(jdbc)),
                EscalationLevel.runbookDefaults().stream().map(l -> new EscalationLevel(l.name(), l.role(), List.of("U0" + l.name()),
                        List.of(), l.respondWithin())).toList(),
                timers, List.of(recording), inc -> java.util.Optional.empty(), new ApprovalPolicy(settings, g -> Set.of()),
                g -> Set.of(), clock);
    }

    @AfterEach
    void stop() {
        db.close();
        testDb.close();
    }

    @Test
    void theLevelsFollowTheirTimesAndTheLastRepeatsUntilAcknowledged() {
        escalations.open(incident.id(), "emergency requested");

        timers.runUntil(T0.plus(Duration.ofHours(6)), clock);

        assertThat(pages).containsExactly("0 min L1 #1", "15 min L2 #2", "45 min L3 #3", "105 min L4 #4", "225 min L4 #5",
                "345 min L4 #6");

        clock.set(T0.plus(Duration.ofHours(6)));
        assertThat(escalations.acknowledge(incident.id(), "U0L3").plain()).contains("You acknowledged");
        timers.runUntil(T0.plus(Duration.ofDays(2)), clock);
        assertThat(pages).as("no page after the acknowledgement").hasSize(6);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Timers held in memory, fired in due order as the test moves the clock. */
    static final class FakeTimers implements Timers {
        private final Map<String, LongConsumer> handlers = new java.util.HashMap<>();
        private final TreeMap<Instant, List<String>> due = new TreeMap<>();
        private final Map<String, Instant> byKey = new java.util.HashMap<>();

        @Override
        public void on(String kind, LongConsumer handler) {
            handlers.put(kind, handler);
        }

        @Override
        public void at(String kind, long id, Instant when) {
            cancel(kind, id);
            String key = kind + ":" + id;
            byKey.put(key, when);
            due.computeIfAbsent(when, k -> new ArrayList<>()).add(key);
        }

        @Override
        public void cancel(String kind, long id) {
            Instant was = byKey.remove(kind + ":" + id);
            if (was != null) {
                due.get(was).remove(kind + ":" + id);
            }
        }

        /** Moves the clock to each due timer in turn, up to {@code end}, and fires it. */
        void runUntil(Instant end, MutableClock clock) {
            while (true) {
                var next = due.entrySet().stream().filter(e -> !e.getValue().isEmpty()).findFirst();
                if (next.isEmpty() || next.get().getKey().isAfter(end)) {
                    clock.set(end);
                    return;
                }
                String key = next.get().getValue().remove(0);
                byKey.remove(key);
                clock.set(next.get().getKey());
                String[] k = key.split(":");
                handlers.get(k[0]).accept(Long.parseLong(k[1]));
            }
        }

        @Override
        public void close() {
        }
    }
}
