package dev.rollbackbot.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.NewIncident;
import dev.rollbackbot.incident.RunLeases;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The analysis read from a real database (H2 in {@code H2AnalysisTest}, PostgreSQL in {@code PostgresAnalysisIT}):
 * the window's query, acknowledgements from the timeline, the chart and an incident's log, under a fixed clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAnalysisTest {
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private TestDatabase testDatabase;
    private Database database;
    IncidentStore store;
    Timeline timeline;
    RunLeases leases;
    DataRestores restores;
    Analysis analysis;

    protected abstract TestDatabase createDatabase();

    @BeforeAll
    void open() {
        testDatabase = createDatabase();
        database = Database.open(testDatabase.url(), testDatabase.user(), testDatabase.password());
        store = new IncidentStore(database.jdbc());
        timeline = new Timeline(database.jdbc());
        leases = new RunLeases(database.jdbc());
        restores = new DataRestores(database.jdbc());
        analysis = new Analysis(store, timeline, restores, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    void close() throws Exception {
        database.close();
        testDatabase.close();
    }

    @BeforeEach
    void empty() {
        for (String table : List.of("data_restores", "target_locks", "approvals", "incident_events", "incidents")) {
            database.jdbc().update("delete from " + table);
        }
    }

    /** An incident requested {@code ago} before now, approved by U0LEAD, run for {@code run}, ended {@code end}. */
    Incident ran(RollbackKind kind, String target, Duration ago, Duration run, IncidentState end) {
        Instant created = NOW.minus(ago);
        Incident inc = store.create(new NewIncident(kind, target, List.of(target), Requester.person("U0DEV"), "bad | deploy\nof 2.3.1",
                "C0OPS", 1, created.plus(Duration.ofHours(1))), created);
        var lease = store.approve(inc.id(), "U0LEAD", "test", created.plusSeconds(30)).lease().orElseThrow();
        Instant started = created.plusSeconds(30);
        timeline.append(TimelineEvent.of(inc.id(), created, EventType.REQUESTED, "U0DEV", null));
        timeline.append(TimelineEvent.of(inc.id(), started, EventType.APPROVED, "U0LEAD", "1 of 1"));
        timeline.append(TimelineEvent.step(inc.id(), started, EventType.STEP_STARTED, 1, "Swap the containers", null, null));
        timeline.append(TimelineEvent.step(inc.id(), started.plus(run), end == IncidentState.SUCCEEDED ? EventType.STEP_SUCCEEDED
                : EventType.STEP_FAILED, 1, "Swap the containers", run, "api now runs v1"));
        assertThat(leases.finish(lease, end, started.plus(run), "ended " + end)).isTrue();
        return store.find(inc.id()).orElseThrow();
    }

    @Test
    void theWindowHoldsWhatWasRequestedInItAndAcknowledgementsComeFromTheTimeline() {
        Incident a = ran(RollbackKind.MANUAL, "api", Duration.ofDays(1), Duration.ofSeconds(4), IncidentState.SUCCEEDED);
        Incident b = ran(RollbackKind.EMERGENCY, "api", Duration.ofDays(2), Duration.ofSeconds(8), IncidentState.FAILED);
        ran(RollbackKind.DRILL, "api", Duration.ofDays(3), Duration.ofSeconds(100), IncidentState.SUCCEEDED);
        ran(RollbackKind.MANUAL, "old", Duration.ofDays(8), Duration.ofSeconds(1), IncidentState.SUCCEEDED); // outside 7 days
        timeline.append(new TimelineEvent(b.id(), b.createdAt().plusSeconds(90), EventType.ACKNOWLEDGED, Optional.of("U0LEAD"),
                Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(90)), Optional.empty()));

        RollbackStats s = analysis.stats(7);

        assertThat(s.from()).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(s.rollbacks()).isEqualTo(2);
        assertThat(s.byService()).containsExactly(new RollbackStats.Count("api", 2));
        assertThat(s.runDuration().p50()).contains(Duration.ofSeconds(4));
        assertThat(s.runDuration().p95()).contains(Duration.ofSeconds(8));
        assertThat(s.timeToAcknowledge().mean()).contains(Duration.ofSeconds(90));
        assertThat(s.timeToRecover().mean()).contains(Duration.between(a.createdAt(), a.finishedAt().orElseThrow()));
        assertThat(s.drills().count()).isEqualTo(1);
        assertThat(analysis.stats(30).rollbacks()).isEqualTo(3);
    }

    @Test
    void theChartIsAPngOfTheRuns() throws Exception {
        ran(RollbackKind.MANUAL, "api", Duration.ofDays(1), Duration.ofSeconds(4), IncidentState.SUCCEEDED);
        ran(RollbackKind.EMERGENCY, "api", Duration.ofDays(2), Duration.ofSeconds(8), IncidentState.FAILED);

        byte[] png = analysis.chart(analysis.stats(30)).orElseThrow();

        assertThat(png).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(DurationChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(DurationChart.HEIGHT);
        empty();
        assertThat(analysis.chart(analysis.stats(30))).as("a window without runs has no chart").isEmpty();
    }

    @Test
    void theLogHasTheRollbackLogEntryStepsApprovalsAndTheWholeTimeline() {
        Incident inc = ran(RollbackKind.DATA, "db", Duration.ofHours(2), Duration.ofSeconds(7), IncidentState.SUCCEEDED);
        restores.record(new DataRestores.Figures(inc.id(), "db", "nightly.sql.gz", NOW.minus(Duration.ofHours(14)),
                inc.finishedAt().orElseThrow(), Duration.ofSeconds(6)));

        Analysis.LogFile log = analysis.log(inc.id()).orElseThrow();
        String md = log.markdown();

        assertThat(log.filename()).isEqualTo(inc.ref() + ".md");
        assertThat(md).startsWith("# " + inc.ref() + ": data rollback of db\n")
                .contains("| Date | 2026-11-30 |", "| Time | 10:00:00.000 |", "| Service | db |",
                        "| Reason | bad \\| deploy of 2.3.1 |", "| Requested by | @U0DEV |", "| Approved by | @U0LEAD (1 of 1 needed) |",
                        "| Duration | 7.0 s; 37 s from request to end |", "| Outcome | succeeded: ended SUCCEEDED |",
                        "| 1 | Swap the containers | 10:00:30.000 | 7.0 s | succeeded | api now runs v1 |",
                        "approved by @U0LEAD: 1 of 1", "| Data-loss window | 12 h", "## Full timeline")
                .doesNotContain("## Escalation");
        assertThat(analysis.log(987_654L)).isEmpty();
    }
}
