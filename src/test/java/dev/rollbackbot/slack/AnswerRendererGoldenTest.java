package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.command.Word;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.incident.DeploymentHistory.Deployment;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.LiveColours;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.testing.Golden;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The private answers to commands, one golden file each. */
class AnswerRendererGoldenTest {
    private final AnswerRenderer renderer = new AnswerRenderer(java.util.EnumSet.of(dev.rollbackbot.command.Word.EMERGENCY, dev.rollbackbot.command.Word.MANUAL,
            dev.rollbackbot.command.Word.STATUS, dev.rollbackbot.command.Word.HISTORY, dev.rollbackbot.command.Word.CANCEL,
            dev.rollbackbot.command.Word.ONCALL, dev.rollbackbot.command.Word.HELP));

    private static List<Incident> all() {
        return Fixtures.cards().values().stream().map(CardView::incident)
                .sorted(Comparator.comparingLong(Incident::id).reversed()).toList();
    }

    @Test
    void help() {
        check("answer-help", renderer.help(Optional.empty()));
    }

    @Test
    void helpTopic() {
        check("answer-help-manual", renderer.help(Optional.of("manual")));
    }

    @Test
    void helpTopicNotAvailableYet() {
        check("answer-help-stats", renderer.help(Optional.of("stats")));
    }

    @Test
    void helpHasAnEntryForEveryWord() {
        String text = renderer.help(Optional.empty()).text();
        for (Word w : Word.values()) {
            assertThat(text).contains(w.summary());
        }
    }

    @Test
    void helpEscapesThePlaceholdersOfUsageLines() {
        String all = renderer.help(Optional.empty()).text() + renderer.help(Optional.of("data")).text();
        assertThat(all).doesNotContain("<service>", "<version>", "<datastore>", "<name>")
                .contains("`/rollback data &lt;datastore&gt; [--backup &lt;name&gt;] [reason]`");
    }

    @Test
    void requestAcknowledged() {
        check("answer-request-acknowledged", renderer.requestAcknowledged("emergency", Fixtures.SERVICE));
    }

    @Test
    void statusWithActiveAndRecentIncidents() {
        List<Incident> active = all().stream().filter(i -> i.state().isActive())
                .sorted(Comparator.comparingLong(Incident::id)).toList();
        assertThat(active).hasSize(7);
        check("answer-status", renderer.status(active, all(), List.of(new LiveColours.Live("web", "green", Instant.parse("2026-11-29T03:05:00Z"), Optional.of(12L)),
                new LiveColours.Live("web-k8s", "blue", Instant.parse("2026-11-29T02:00:00Z"), Optional.empty()))));
    }

    @Test
    void statusWhenNothingHappened() {
        check("answer-status-empty", renderer.status(List.of(), List.of(), List.of()));
    }

    @Test
    void incidentTimeline() {
        CardView v = Fixtures.failedWithRecovery();
        check("answer-incident", renderer.incident(v.incident(), v.approvedBy(), v.timeline()));
    }

    @Test
    void incidentTimelineReadsTheSameInEveryLocale() {
        CardView v = Fixtures.failedWithRecovery();
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            String text = renderer.incident(v.incident(), v.approvedBy(), v.timeline()).text();
            assertThat(text).contains("\n`03:04:07` failed: step 3", "started: `" + Fixtures.OLD + "` → `" + Fixtures.NEW + "`")
                    .doesNotContain("->", "-&gt;", "ı");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void incidentTimelineEscapesTheReason() {
        Fixtures.Inc i = Fixtures.inc(50, RollbackKind.EMERGENCY);
        i.reason = "<!channel> & <@U999> look";
        String text = renderer.incident(i.build(), List.of(), new Fixtures.Run(50).requested(RollbackKind.EMERGENCY, i.reason)
                .events).text();
        assertThat(text).doesNotContain("<!channel>", "<@U999>").contains("&lt;!channel&gt; &amp; &lt;@U999&gt; look");
    }

    @Test
    void historyOfAService() {
        List<Incident> ofService = all().stream().filter(i -> i.target().equals(Fixtures.SERVICE)).toList();
        check("answer-history-service", renderer.history(Optional.of(Fixtures.SERVICE), ofService, List.of(
                seen(Fixtures.NEW, "2026-11-29T03:03:53Z", "2026-11-29T03:10:00Z"),
                seen(Fixtures.OLD, "2026-11-28T14:00:05Z", "2026-11-29T03:02:51Z"),
                seen(Fixtures.NEW, "2026-11-20T09:30:00Z", "2026-11-28T13:58:40Z")), Optional.empty()));
    }

    @Test
    void historyOfAServiceNeverSeen() {
        check("answer-history-service-empty", renderer.history(Optional.of("search"), List.of(), List.of(), Optional.empty()));
    }

    @Test
    void historyOfEverything() {
        check("answer-history", renderer.history(Optional.empty(), all(), List.of(), Optional.empty()));
    }

    @Test
    void historyOfABlueGreenServiceShowsItsLiveColour() {
        check("answer-history-live-colour", renderer.history(Optional.of("web"), List.of(), List.of(),
                Optional.of(new LiveColours.Live("web", "green", Instant.parse("2026-11-29T03:05:00Z"), Optional.of(12L)))));
    }

    @Test
    void oncallRunbookDefaults() {
        check("answer-oncall", renderer.oncall(EscalationLevel.runbookDefaults()));
    }

    @Test
    void oncallWithSlackUsersAndGroups() {
        check("answer-oncall-configured", renderer.oncall(List.of(
                new EscalationLevel("L1", "On-call engineer", List.of("U0ONCALL", "S0SRE"), List.of(), Duration.ofMinutes(10)),
                new EscalationLevel("L2", "Technical Lead", List.of("U0LEAD"), List.of("tech-lead@company.com"),
                        Duration.ofMinutes(30)))));
    }

    private static Deployment seen(String version, String first, String last) {
        return new Deployment(Fixtures.SERVICE, version, Optional.empty(), Instant.parse(first), Instant.parse(last));
    }

    private static void check(String name, SlackMessage m) {
        assertThat(m.text()).isNotBlank().hasSizeLessThanOrEqualTo(3_900)
                .doesNotContain("null", "Optional[", "Optional.empty");
        Golden.check(name, m);
    }
}
