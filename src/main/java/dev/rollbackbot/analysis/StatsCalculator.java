package dev.rollbackbot.analysis;

import dev.rollbackbot.analysis.RollbackStats.Count;
import dev.rollbackbot.analysis.RollbackStats.Drills;
import dev.rollbackbot.analysis.RollbackStats.Figure;
import dev.rollbackbot.analysis.RollbackStats.Run;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Aggregates stored incidents into {@link RollbackStats}. Pure: the incidents and acknowledgements are given. Drills
 * count only as drills; validations are left out entirely.
 */
public final class StatsCalculator {
    /** Reasons shown, most frequent first. */
    public static final int TOP_REASONS = 10;
    static final String NO_REASON = "(no reason given)";

    public RollbackStats compute(int days, Instant from, Instant to, List<Incident> incidents, List<TimelineEvent> acknowledgements) {
        List<Incident> real = incidents.stream().filter(i -> isRealRollback(i.kind())).toList();
        List<Incident> drills = incidents.stream().filter(i -> i.kind() == RollbackKind.DRILL).toList();
        Set<Long> realIds = real.stream().map(Incident::id).collect(Collectors.toSet());

        List<Run> runs = real.stream().filter(StatsCalculator::ran)
                .map(i -> new Run(i.id(), i.startedAt().orElseThrow(), i.runDuration().orElseThrow(), i.kind(), Outcome.of(i.state())))
                .sorted(Comparator.comparing(Run::startedAt)).toList();
        List<Duration> acks = acknowledgements.stream()
                .filter(e -> e.type() == EventType.ACKNOWLEDGED && realIds.contains(e.incidentId()) && e.duration().isPresent())
                .map(e -> e.duration().get()).toList();
        List<Duration> recoveries = real.stream().filter(i -> i.state() == IncidentState.SUCCEEDED && i.finishedAt().isPresent())
                .map(i -> Duration.between(i.createdAt(), i.finishedAt().get())).toList();
        List<Duration> drillRuns = drills.stream().filter(StatsCalculator::ran).map(i -> i.runDuration().orElseThrow()).toList();

        return new RollbackStats(days, from, to, real.size(),
                counted(real, i -> i.kind().word()),
                counted(real, Incident::target),
                byOutcome(real),
                byReason(real),
                Figure.of(runs.stream().map(Run::duration).toList()),
                Figure.of(acks),
                Figure.of(recoveries),
                new Drills(drills.size(), Figure.of(drillRuns)),
                runs);
    }

    /** Rollbacks the figures are about: not drills (practice), not validations (no rollback at all). */
    static boolean isRealRollback(RollbackKind kind) {
        return kind != RollbackKind.DRILL && kind != RollbackKind.VALIDATE;
    }

    /** A run that started and ended (succeeded, failed or was interrupted). */
    private static boolean ran(Incident i) {
        return i.runDuration().isPresent() && !i.state().isActive();
    }

    private static List<Count> counted(List<Incident> incidents, Function<Incident, String> label) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        incidents.forEach(i -> counts.merge(label.apply(i), 1, Integer::sum));
        return sorted(counts);
    }

    private static List<Count> byOutcome(List<Incident> incidents) {
        List<Count> out = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            int n = (int) incidents.stream().filter(i -> Outcome.of(i.state()) == o).count();
            if (n > 0) {
                out.add(new Count(o.word(), n));
            }
        }
        return out;
    }

    /** Reasons trimmed, with runs of spaces as one, the same text in any case counted together (first spelling kept). */
    private static List<Count> byReason(List<Incident> incidents) {
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Incident i : incidents) {
            String reason = i.reason() == null ? "" : i.reason().strip().replaceAll("\\s+", " ");
            String shown = reason.isEmpty() ? NO_REASON : reason;
            String key = shown.toLowerCase(Locale.ROOT);
            spelling.putIfAbsent(key, shown);
            counts.merge(key, 1, Integer::sum);
        }
        Map<String, Integer> bySpelling = new LinkedHashMap<>();
        counts.forEach((k, n) -> bySpelling.put(spelling.get(k), n));
        List<Count> all = sorted(bySpelling);
        return all.size() > TOP_REASONS ? all.subList(0, TOP_REASONS) : all;
    }

    /** Most frequent first; equal counts by label, so the answer is stable. */
    private static List<Count> sorted(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(Count::count).reversed().thenComparing(Count::label)).toList();
    }
}
