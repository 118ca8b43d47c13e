package dev.rollbackbot.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.LayoutBlock;
import dev.rollbackbot.analysis.RollbackStats;
import dev.rollbackbot.analysis.RollbackStats.Count;
import dev.rollbackbot.analysis.RollbackStats.Figure;
import dev.rollbackbot.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /rollback stats}: the figures of a window in Block Kit, for the whole channel. */
public final class StatsRenderer {

    public SlackMessage render(RollbackStats s) {
        String window = "the last " + s.days() + (s.days() == 1 ? " day" : " days");
        String span = AnswerRenderer.WHEN.format(s.from()) + " to " + AnswerRenderer.WHEN.format(s.to());
        if (s.isEmpty()) {
            String text = "No rollbacks were requested in " + window + " (" + span + "), so there are no figures and no chart.";
            return new SlackMessage(text, List.of(section(x -> x.text(markdownText("📊 " + text)))));
        }
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("📊 Rollbacks in " + window, true))));
        blocks.add(context(c -> c.elements(List.of(markdownText(span + " · drills are shown apart and validations are not"
                + " rollbacks: neither is in these figures")))));
        blocks.add(section(x -> x.fields(List.of(
                markdownText("*Rollbacks*\n" + s.rollbacks()),
                markdownText("*Run duration*\n" + percentiles(s.runDuration(), "run")),
                markdownText("*Mean time to acknowledge*\n" + mean(s.timeToAcknowledge(), "acknowledgement", "acknowledgements",
                        "no escalation was acknowledged")),
                markdownText("*Mean time to recover*\n" + mean(s.timeToRecover(), "recovery", "recoveries",
                        "no rollback succeeded") + (s.timeToRecover().samples() > 0 ? "\n_request to success_" : ""))))));
        if (s.rollbacks() > 0) {
            blocks.add(section(x -> x.fields(List.of(
                    markdownText("*By kind*\n" + list(s.byKind(), false)),
                    markdownText("*By service*\n" + list(s.byService(), true)),
                    markdownText("*By outcome*\n" + list(s.byOutcome(), false))))));
            blocks.add(section(x -> x.text(markdownText(Text.shorten("*By reason* (most frequent first)\n"
                    + String.join("\n", s.byReason().stream().map(c -> "• " + c.count() + " × "
                            + Text.escape(Text.shorten(c.label(), 200))).toList()), 3000)))));
        }
        blocks.add(section(x -> x.text(markdownText("🧪 *Drills* (kept out of every figure above): " + s.drills().count()
                + (s.drills().count() == 0 ? "" : ", run p50 " + human(s.drills().runDuration().p50()) + " ("
                        + runs(s.drills().runDuration().samples()) + ")")))));
        blocks.add(context(c -> c.elements(List.of(markdownText(s.runs().isEmpty()
                ? "No chart: none of these rollbacks ran (they were denied, cancelled, expired, refused or are still pending)."
                : "📈 The chart of run durations over time follows.")))));
        String text = "Rollbacks in " + window + ": " + s.rollbacks() + " (" + String.join(", ",
                s.byOutcome().stream().map(c -> c.count() + " " + c.label()).toList()) + "); "
                + (s.runDuration().samples() == 0 ? "no run ended" : "run p50 " + human(s.runDuration().p50()) + ", p95 "
                        + human(s.runDuration().p95())) + "; " + s.drills().count() + " drills apart.";
        return new SlackMessage(text, blocks);
    }

    private static String percentiles(Figure f, String what) {
        return f.samples() == 0 ? "no " + what + " ended in this window"
                : "p50 " + human(f.p50()) + " · p95 " + human(f.p95()) + "\n_" + runs(f.samples()) + "_";
    }

    private static String mean(Figure f, String one, String many, String none) {
        return f.samples() == 0 ? "— " + none : human(f.mean()) + " _(" + f.samples() + " " + (f.samples() == 1 ? one : many) + ")_";
    }

    private static String runs(int n) {
        return n + (n == 1 ? " run" : " runs");
    }

    private static String human(Optional<Duration> d) {
        return d.map(Durations::human).orElse("—");
    }

    private static String list(List<Count> counts, boolean code) {
        if (counts.isEmpty()) {
            return "—";
        }
        List<Count> shown = counts.size() > 12 ? counts.subList(0, 12) : counts;
        String lines = String.join("\n", shown.stream().map(c -> (code ? Text.code(c.label()) : Text.escape(c.label()))
                + ": " + c.count()).toList());
        return Text.shorten(lines + (counts.size() > shown.size() ? "\n… and " + (counts.size() - shown.size()) + " more" : ""), 1900);
    }
}
