package dev.rollbackbot.analysis;

import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** {@code /rollback stats} and {@code /rollback log}: the figures of a window, its chart, and one incident's log. */
public final class Analysis {
    private final IncidentStore store;
    private final Timeline timeline;
    private final DataRestores dataRestores;
    private final Clock clock;
    private final StatsCalculator calculator = new StatsCalculator();

    public Analysis(IncidentStore store, Timeline timeline, DataRestores dataRestores, Clock clock) {
        this.store = store;
        this.timeline = timeline;
        this.dataRestores = dataRestores;
        this.clock = clock;
    }

    /** The rollbacks requested in the last {@code days} days, up to now. */
    public RollbackStats stats(int days) {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(days));
        return calculator.compute(days, from, to, store.requestedBetween(from, to),
                timeline.ofType(EventType.ACKNOWLEDGED, from, to));
    }

    /** The chart of the window's run durations as a PNG; empty when no rollback ran in it. */
    public Optional<byte[]> chart(RollbackStats stats) {
        return stats.runs().isEmpty() ? Optional.empty() : Optional.of(DurationChart.png(stats));
    }

    /** One incident's whole record as a Markdown file, or empty when there is no such incident. */
    public Optional<LogFile> log(long incidentId) {
        return store.find(incidentId).map(i -> new LogFile(i, i.ref() + ".md", IncidentLog.markdown(i, store.approvers(i.id()),
                timeline.of(i.id()), dataRestores.of(i.id()))));
    }

    /** A Markdown log ready to upload, with the incident it is about (where its card is). */
    public record LogFile(Incident incident, String filename, String markdown) {
    }
}
