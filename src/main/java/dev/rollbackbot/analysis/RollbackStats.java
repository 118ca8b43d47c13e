package dev.rollbackbot.analysis;

import dev.rollbackbot.core.RollbackKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The analysis of the rollbacks requested in a window: how many (by kind, service, outcome and reason), how long
 * their runs took, how fast escalations were acknowledged and services recovered. Drills are only in
 * {@link #drills()}; validations are not rollbacks and are nowhere.
 */
public record RollbackStats(
        int days,
        Instant from,
        Instant to,
        int rollbacks,
        List<Count> byKind,
        List<Count> byService,
        List<Count> byOutcome,
        List<Count> byReason,
        Figure runDuration,
        Figure timeToAcknowledge,
        Figure timeToRecover,
        Drills drills,
        List<Run> runs) {

    public RollbackStats {
        byKind = List.copyOf(byKind);
        byService = List.copyOf(byService);
        byOutcome = List.copyOf(byOutcome);
        byReason = List.copyOf(byReason);
        runs = List.copyOf(runs);
    }

    /** A label and how many rollbacks had it. */
    public record Count(String label, int count) {
    }

    /**
     * A figure over {@code samples} values: the mean, p50 and p95 (each empty when there are no samples). Which of them
     * is shown depends on the figure: percentiles for run durations, the mean for MTTA and MTTR.
     */
    public record Figure(int samples, Optional<Duration> mean, Optional<Duration> p50, Optional<Duration> p95) {
        static Figure of(List<Duration> values) {
            return new Figure(values.size(), Percentiles.mean(values), Percentiles.of(values, 50), Percentiles.of(values, 95));
        }
    }

    /** Drills, kept apart: how many were requested and the p50 of their runs. */
    public record Drills(int count, Figure runDuration) {
    }

    /** One run that started and ended: when it started, how long it took, what kind and how it ended. */
    public record Run(long incidentId, Instant startedAt, Duration duration, RollbackKind kind, Outcome outcome) {
    }

    public boolean isEmpty() {
        return rollbacks == 0 && drills.count() == 0;
    }
}
