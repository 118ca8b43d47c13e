package dev.rollbackbot.slack;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.TimelineEvent;
import java.util.Optional;

/** The replies in an incident's thread: one per timeline event worth telling people about. */
public final class ThreadRenderer {
    /** Every reply of a drill starts with it, so nobody takes a drill's messages for a real incident. */
    static final String DRILL = "🧪 *DRILL* · ";

    public Optional<SlackMessage> reply(TimelineEvent e, Incident inc, int planSize) {
        String who = e.actor().map(Text::user).orElse("the bot");
        String detail = e.detail().map(Text::escape).orElse("");
        String text = switch (e.type()) {
            case REQUESTED, REFUSED, PREPARED -> null;
            case PREPARE_FAILED -> "⚠️ Preparing failed: " + detail + ". Approve will refuse to start; nothing was changed.";
            case APPROVED -> "👍 Approved by " + who + " (" + detail + ").";
            case STARTED -> inc.kind() == RollbackKind.VALIDATE ? "🔄 Validation started: " + Text.code(inc.target()) + " runs "
                    + inc.fromVersion().map(Text::code).orElse("?") + "; nothing will be changed."
                    : "🔄 Rollback started" + e.detail().map(d -> ": " + versions(d) + ".").orElse(".");
            case STEP_STARTED -> "▶️ " + step(e, planSize) + ": " + title(e) + "…";
            case STEP_PROGRESS -> "⏳ " + step(e, planSize) + ": " + detail;
            case STEP_SUCCEEDED -> "✅ " + step(e, planSize) + " done in " + took(e) + (detail.isEmpty() ? "." : ": " + CheckLines.marked(detail));
            case STEP_FAILED -> "❌ " + step(e, planSize) + " failed after " + took(e) + ": " + CheckLines.marked(detail);
            case SUCCEEDED -> "✅ *" + inc.ref() + " succeeded*: " + CardRenderer.runsNow(inc) + ". Total "
                    + inc.runDuration().map(Durations::human).orElse("?") + "." + CardRenderer.figures(detail);
            case FAILED -> "❌ *" + inc.ref() + " failed*: " + CheckLines.withoutLines(detail);
            case DENIED -> "⛔ Denied by " + who + ". Nothing ran.";
            case CANCELLED -> "Cancelled" + (e.actor().isPresent() ? " by " + who : ": " + detail) + ". Nothing ran.";
            case EXPIRED -> "⌛ Expired: " + detail + ". Nothing ran.";
            case INTERRUPTED -> "⚠️ *" + inc.ref() + " interrupted*: " + detail;
            case LEASE_LOST -> "⚠️ Lease lost: " + detail + ".";
            case TAKEN_OVER -> "⚠️ " + CardRenderer.capital(detail) + ".";
            // a page is its own message in the thread (with its Acknowledge button), posted by the pager
            case ESCALATION_OPENED, PAGED, PAGE_THREAD, PAGE_DM, PAGE_EMAIL, PAGE_FAILED -> null;
            case ACKNOWLEDGED -> "✋ Acknowledged by " + who + e.duration().map(d -> " after " + Durations.human(d)).orElse("")
                    + ": no more pages.";
            case ESCALATION_STOPPED -> "🔕 Pages stopped: " + detail + ".";
            case HEALTHY_AGAIN -> "💚 Healthy again" + (detail.isEmpty() ? "." : ": " + detail + ".");
        };
        String label = inc.kind() == RollbackKind.DRILL ? DRILL : "";
        return Optional.ofNullable(text).map(t -> SlackMessage.text(Text.shorten(label + t, 3900)));
    }

    /** The STARTED event's detail, {@code old -> new}, shown as the card shows versions: {@code `old` → `new`}. */
    static String versions(String detail) {
        int arrow = detail.indexOf(" -> ");
        return arrow < 0 ? Text.escape(detail)
                : Text.code(detail.substring(0, arrow)) + " → " + Text.code(detail.substring(arrow + " -> ".length()));
    }

    private static String step(TimelineEvent e, int planSize) {
        int no = e.stepNo().orElse(0);
        return no > planSize ? "Recovery" : "Step " + no + "/" + planSize;
    }

    private static String title(TimelineEvent e) {
        return Text.escape(e.stepTitle().orElse(""));
    }

    private static String took(TimelineEvent e) {
        return e.duration().map(Durations::human).orElse("?");
    }
}
