package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.analysis.Outcome;
import dev.rollbackbot.analysis.RollbackStats;
import dev.rollbackbot.analysis.RollbackStats.Count;
import dev.rollbackbot.analysis.RollbackStats.Drills;
import dev.rollbackbot.analysis.RollbackStats.Figure;
import dev.rollbackbot.analysis.RollbackStats.Run;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.testing.Golden;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code /rollback stats} as the channel sees it, one golden file per shape of answer. */
class StatsRendererGoldenTest {
    private static final Instant TO = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant FROM = TO.minus(Duration.ofDays(30));
    private final StatsRenderer renderer = new StatsRenderer();

    private static Figure figure(int n, long meanMs, long p50Ms, long p95Ms) {
        return new Figure(n, Optional.of(Duration.ofMillis(meanMs)), Optional.of(Duration.ofMillis(p50Ms)), Optional.of(Duration.ofMillis(p95Ms)));
    }

    private static final Figure NONE = new Figure(0, Optional.empty(), Optional.empty(), Optional.empty());

    @Test
    void aWindowWithRollbacks() {
        RollbackStats s = new RollbackStats(30, FROM, TO, 6,
                List.of(new Count("manual", 3), new Count("emergency", 2), new Count("data", 1)),
                List.of(new Count("api-prod", 4), new Count("db-prod", 1), new Count("web", 1)),
                List.of(new Count("succeeded", 3), new Count("failed", 1), new Count("denied", 1), new Count("cancelled", 1)),
                List.of(new Count("checkout 500s after the deploy", 3), new Count("<!channel> & friends", 2), new Count("(no reason given)", 1)),
                figure(4, 5200, 3600, 12_400), figure(2, 150_000, 120_000, 180_000), figure(3, 95_000, 80_000, 130_000),
                new Drills(2, figure(2, 4100, 4100, 4100)),
                List.of(new Run(1, FROM.plusSeconds(3600), Duration.ofMillis(3600), RollbackKind.MANUAL, Outcome.SUCCEEDED)));

        SlackMessage m = renderer.render(s);

        Golden.check("stats-window", m);
        assertThat(Golden.json(m)).doesNotContain("<!channel>").contains("&lt;!channel&gt; &amp; friends");
    }

    @Test
    void aWindowWhereNothingRanSaysWhyThereIsNoChart() {
        RollbackStats s = new RollbackStats(7, TO.minus(Duration.ofDays(7)), TO, 2, List.of(new Count("manual", 2)),
                List.of(new Count("api-prod", 2)), List.of(new Count("denied", 1), new Count("cancelled", 1)),
                List.of(new Count("just in case", 2)), NONE, NONE, NONE, new Drills(0, NONE), List.of());

        Golden.check("stats-nothing-ran", renderer.render(s));
    }

    @Test
    void anEmptyWindowSaysSoPlainly() {
        RollbackStats s = new RollbackStats(1, TO.minus(Duration.ofDays(1)), TO, 0, List.of(), List.of(), List.of(), List.of(),
                NONE, NONE, NONE, new Drills(0, NONE), List.of());

        SlackMessage m = renderer.render(s);

        Golden.check("stats-empty", m);
        assertThat(m.text()).startsWith("No rollbacks were requested in the last 1 day");
    }
}
