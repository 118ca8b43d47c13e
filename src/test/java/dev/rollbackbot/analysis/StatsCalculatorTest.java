package dev.rollbackbot.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.analysis.RollbackStats.Count;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The aggregation behind {@code /rollback stats}, on incidents made here, in a window fixed by a fixed clock. */
class StatsCalculatorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant TO = CLOCK.instant();
    private static final Instant FROM = TO.minus(Duration.ofDays(30));
    private final StatsCalculator calculator = new StatsCalculator();
    private long nextId = 1;

    /** An incident requested {@code daysAgo} days ago that waited {@code waitSeconds} and then ran {@code runSeconds}. */
    Incident ran(RollbackKind kind, String target, IncidentState end, String reason, int daysAgo, long waitSeconds, long runSeconds) {
        Instant created = TO.minus(Duration.ofDays(daysAgo));
        Instant started = created.plusSeconds(waitSeconds);
        return incident(kind, target, end, reason, created, Optional.of(started), Optional.of(started.plusSeconds(runSeconds)));
    }

    Incident ended(RollbackKind kind, String target, IncidentState end, String reason, int daysAgo) {
        Instant created = TO.minus(Duration.ofDays(daysAgo));
        return incident(kind, target, end, reason, created, Optional.empty(), end.isActive() ? Optional.empty()
                : Optional.of(created.plusSeconds(60)));
    }

    private Incident incident(RollbackKind kind, String target, IncidentState state, String reason, Instant created,
            Optional<Instant> started, Optional<Instant> finished) {
        return new Incident(nextId++, kind, target, state, Requester.person("U0DEV"), reason, Optional.of("v2"), Optional.of("v1"),
                1, Optional.of("C0OPS"), Optional.empty(), Optional.empty(), Optional.empty(), created, Optional.empty(), started,
                finished, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static TimelineEvent ack(Incident i, long seconds) {
        return new TimelineEvent(i.id(), i.createdAt().plusSeconds(seconds), EventType.ACKNOWLEDGED, Optional.of("U0LEAD"),
                Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(seconds)), Optional.empty());
    }

    RollbackStats stats(List<Incident> incidents, List<TimelineEvent> acks) {
        return calculator.compute(30, FROM, TO, incidents, acks);
    }

    @Test
    void runDurationsAreNearestRankPercentilesOfTheRunsThatEnded() {
        List<Incident> all = new ArrayList<>();
        for (int s = 1; s <= 20; s++) {
            all.add(ran(RollbackKind.MANUAL, "api", s % 4 == 0 ? IncidentState.FAILED : IncidentState.SUCCEEDED, "x", 1, 5, s));
        }
        all.add(ended(RollbackKind.MANUAL, "api", IncidentState.DENIED, "x", 1)); // never ran: no duration
        all.add(ended(RollbackKind.MANUAL, "api", IncidentState.PENDING, "x", 1));
        RollbackStats s = stats(all, List.of());

        assertThat(s.rollbacks()).isEqualTo(22);
        assertThat(s.runDuration().samples()).isEqualTo(20);
        assertThat(s.runDuration().p50()).contains(Duration.ofSeconds(10));
        assertThat(s.runDuration().p95()).contains(Duration.ofSeconds(19));
        assertThat(s.runs()).hasSize(20).extracting(RollbackStats.Run::duration).contains(Duration.ofSeconds(1), Duration.ofSeconds(20));
        assertThat(s.byOutcome()).containsExactly(new Count("succeeded", 15), new Count("failed", 5), new Count("denied", 1),
                new Count("still pending or running", 1));
    }

    @Test
    void meanTimeToRecoverIsFromRequestToSuccessOfSucceededRollbacksOnly() {
        RollbackStats s = stats(List.of(
                ran(RollbackKind.MANUAL, "api", IncidentState.SUCCEEDED, "a", 2, 50, 10),   // 60 s
                ran(RollbackKind.EMERGENCY, "api", IncidentState.SUCCEEDED, "a", 3, 100, 20), // 120 s
                ran(RollbackKind.MANUAL, "api", IncidentState.FAILED, "a", 4, 1000, 10)), List.of());

        assertThat(s.timeToRecover().samples()).isEqualTo(2);
        assertThat(s.timeToRecover().mean()).contains(Duration.ofSeconds(90));
    }

    @Test
    void meanTimeToAcknowledgeIsTheMeanOfTheAcknowledgementsOfRealRollbacks() {
        Incident a = ran(RollbackKind.EMERGENCY, "api", IncidentState.FAILED, "a", 1, 10, 10);
        Incident b = ran(RollbackKind.DATA, "db", IncidentState.SUCCEEDED, "b", 1, 10, 10);
        Incident drill = ran(RollbackKind.DRILL, "api", IncidentState.FAILED, "practice", 1, 10, 10);
        RollbackStats s = stats(List.of(a, b, drill), List.of(ack(a, 120), ack(b, 240), ack(drill, 3600)));

        assertThat(s.timeToAcknowledge().samples()).isEqualTo(2);
        assertThat(s.timeToAcknowledge().mean()).contains(Duration.ofSeconds(180));
    }

    @Test
    void drillsAreCountedApartAndKeptOutOfEveryRealFigure() {
        List<Incident> real = List.of(
                ran(RollbackKind.MANUAL, "api", IncidentState.SUCCEEDED, "bad deploy", 1, 10, 4),
                ran(RollbackKind.MANUAL, "api", IncidentState.SUCCEEDED, "bad deploy", 2, 10, 6));
        List<Incident> withDrills = new ArrayList<>(real);
        withDrills.add(ran(RollbackKind.DRILL, "api", IncidentState.SUCCEEDED, "monthly drill", 3, 10, 500));
        withDrills.add(ran(RollbackKind.DRILL, "web", IncidentState.FAILED, "monthly drill", 4, 10, 700));
        withDrills.add(ended(RollbackKind.DRILL, "web", IncidentState.DENIED, "monthly drill", 5));
        RollbackStats without = stats(real, List.of());
        RollbackStats with = stats(withDrills, List.of());

        assertThat(with.drills().count()).isEqualTo(3);
        assertThat(with.drills().runDuration().samples()).isEqualTo(2);
        assertThat(with.drills().runDuration().p50()).contains(Duration.ofSeconds(500));
        assertThat(with.rollbacks()).isEqualTo(2);
        assertThat(with.runDuration()).isEqualTo(without.runDuration());
        assertThat(with.timeToRecover()).isEqualTo(without.timeToRecover());
        assertThat(with.byKind()).isEqualTo(without.byKind()).containsExactly(new Count("manual", 2));
        assertThat(with.byService()).isEqualTo(without.byService());
        assertThat(with.byOutcome()).isEqualTo(without.byOutcome());
        assertThat(with.byReason()).isEqualTo(without.byReason());
        assertThat(with.runs()).isEqualTo(without.runs()).noneMatch(r -> r.kind() == RollbackKind.DRILL);
    }

    @Test
    void validationsAreNotRollbacksAndAppearNowhere() {
        RollbackStats s = stats(List.of(
                ran(RollbackKind.VALIDATE, "api", IncidentState.SUCCEEDED, "", 1, 0, 3),
                ran(RollbackKind.VALIDATE, "api", IncidentState.FAILED, "", 1, 0, 3)), List.of());

        assertThat(s.rollbacks()).isZero();
        assertThat(s.drills().count()).isZero();
        assertThat(s.runs()).isEmpty();
        assertThat(s.byKind()).isEmpty();
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void kindsServicesAndReasonsAreCountedMostFrequentFirstWithReasonsTrimmed() {
        List<Incident> all = new ArrayList<>();
        all.add(ended(RollbackKind.MANUAL, "api", IncidentState.CANCELLED, "  checkout   500s ", 1));
        all.add(ended(RollbackKind.EMERGENCY, "api", IncidentState.EXPIRED, "Checkout 500s", 1));
        all.add(ended(RollbackKind.MANUAL, "web", IncidentState.REFUSED, "checkout 500s", 1));
        all.add(ended(RollbackKind.MANUAL, "web", IncidentState.INTERRUPTED, "", 1));
        all.add(ended(RollbackKind.DATA, "db", IncidentState.DENIED, "migration dropped a table", 1));
        for (int i = 0; i < 12; i++) {
            all.add(ended(RollbackKind.BLUE_GREEN, "shop", IncidentState.CANCELLED, "one-off " + i, 2));
        }
        RollbackStats s = stats(all, List.of());

        assertThat(s.byKind().get(0)).isEqualTo(new Count("blue-green", 12));
        assertThat(s.byKind()).contains(new Count("manual", 3), new Count("emergency", 1), new Count("data", 1));
        assertThat(s.byService()).startsWith(new Count("shop", 12), new Count("api", 2), new Count("web", 2));
        assertThat(s.byReason()).hasSize(StatsCalculator.TOP_REASONS);
        assertThat(s.byReason().get(0)).isEqualTo(new Count("checkout 500s", 3));
        assertThat(s.byReason()).extracting(Count::count).isSortedAccordingTo((a, b) -> b - a);
        assertThat(s.byOutcome()).containsExactly(new Count("interrupted", 1), new Count("denied", 1), new Count("cancelled", 13),
                new Count("expired", 1), new Count("refused", 1));
        assertThat(s.runs()).isEmpty();
    }
}
