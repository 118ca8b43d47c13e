package dev.rollbackbot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.core.RollbackKind;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Draws the approval card: who asked, what, why, the plan with each step's state, approvals, buttons or outcome. */
public final class CardRenderer {
    public static final String APPROVE = "rollback_approve";
    public static final String DENY = "rollback_deny";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public SlackMessage render(CardView v) {
        Incident inc = v.incident();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(Text.shorten(icon(inc) + " " + title(inc), 150), true))));
        List<TextObject> fields = new ArrayList<>();
        fields.add(markdownText("*Requested by*\n" + Text.requester(inc.requester())));
        fields.add(markdownText("*Target*\n" + Text.code(inc.target()) + " (" + Text.escape(v.targetDescription()) + ")"));
        fields.add(markdownText("*State*\n" + stateText(v)));
        fields.add(markdownText(inc.kind() == RollbackKind.VALIDATE ? "*Runs*\n" + inc.fromVersion().map(Text::code).orElse("?")
                + "\n_checked, not changed_" : "*Versions*\n" + inc.fromVersion().map(Text::code).orElse("?") + " → "
                + inc.toVersion().map(Text::code).orElse("?") + inc.versionChoice().map(c -> "\n_" + Text.escape(c.description()) + "_").orElse("")));
        blocks.add(section(s -> s.text(markdownText("*Reason:* " + (inc.reason().isEmpty() ? "_none given_"
                : Text.escape(Text.shorten(inc.reason(), 500))))).fields(fields)));
        blocks.add(section(s -> s.text(markdownText(Text.shorten(planText(v), 3000)))));
        blocks.add(section(s -> s.text(markdownText(approvalText(v)))));
        if (inc.state() == IncidentState.PENDING) {
            preparationText(inc).ifPresent(t -> blocks.add(section(s -> s.text(markdownText(Text.shorten(t, 3000))))));
        }
        if (!inc.warnings().isEmpty() && inc.state() == IncidentState.PENDING) {
            blocks.add(section(s -> s.text(markdownText(Text.shorten("⚠️ *Read before approving:*\n• " + String.join("\n• ",
                    inc.warnings().stream().map(Text::escape).toList()), 3000)))));
        }
        if (inc.state() == IncidentState.PENDING && inc.requiredApprovals() > 0) {
            String value = String.valueOf(inc.id());
            blocks.add(actions(a -> a.blockId("decision-" + inc.id()).elements(List.of(
                    button(b -> b.actionId(APPROVE).text(plainText("Approve")).style("primary").value(value)
                            .confirm(confirmationDialog(c -> c.title(plainText("Approve " + inc.ref() + "?"))
                                    .text(markdownText(Text.shorten(confirmText(v), 300)))
                                    .confirm(plainText("Approve")).deny(plainText("Back"))))),
                    button(b -> b.actionId(DENY).text(plainText("Deny")).style("danger").value(value))))));
        } else {
            outcomeText(v).ifPresent(o -> blocks.add(section(s -> s.text(markdownText(Text.shorten(o, 3000))))));
        }
        escalationText(v).ifPresent(t -> blocks.add(section(s -> s.text(markdownText(t)))));
        blocks.add(context(c -> c.elements(List.of(markdownText(inc.ref() + " · requested " + TIME.format(inc.createdAt())
                + " · progress in the thread below")))));
        return new SlackMessage(inc.ref() + ": " + title(inc) + " requested by " + Text.requester(inc.requester()) + " — "
                + inc.state().description(), blocks);
    }

    /** What pressing Approve does: starts the run, or only counts towards the approvals it still needs. */
    private static String confirmText(CardView v) {
        Incident inc = v.incident();
        String to = inc.toVersion().map(Text::code).orElse("?");
        String what = inc.kind() == RollbackKind.DRILL
                ? "DRILL on " + Text.code(inc.target()) + ": it is stopped for real, then rolled back to " + to + " (and stays there)"
                : inc.kind().word() + " rollback of " + Text.code(inc.target()) + " to " + to;
        int next = v.approvedBy().size() + 1;
        if (next < inc.requiredApprovals()) {
            return "This records your approval (" + next + " of " + inc.requiredApprovals() + ") of the " + what
                    + ". It starts when " + inc.requiredApprovals() + " approvers have approved.";
        }
        return "This starts the " + what + " now.";
    }

    static String title(Incident inc) {
        if (inc.kind() == RollbackKind.DRILL) {
            return "DRILL: rollback of " + inc.target();
        }
        if (inc.kind() == RollbackKind.VALIDATE) {
            return "Validation of " + inc.target();
        }
        String kind = inc.kind() == RollbackKind.BLUE_GREEN ? "Blue-green" : capital(inc.kind().word());
        return kind + " rollback of " + inc.target();
    }

    private static String icon(Incident inc) {
        return switch (inc.state()) {
            case PENDING -> inc.kind() == RollbackKind.EMERGENCY ? "🚨" : inc.kind() == RollbackKind.DRILL ? "🧪" : "⏳";
            case RUNNING -> "🔄";
            case SUCCEEDED -> "✅";
            case FAILED, INTERRUPTED -> "❌";
            default -> "⛔";
        };
    }

    private static String stateText(CardView v) {
        Incident inc = v.incident();
        return switch (inc.state()) {
            case PENDING -> inc.requiredApprovals() == 0 ? "Starting: no approval needed"
                    : "Waiting for approval (" + v.approvedBy().size() + " of " + inc.requiredApprovals() + ")";
            case RUNNING -> "Running" + inc.currentStep().map(s -> ": " + Text.escape(s)).orElse("");
            case SUCCEEDED -> "Succeeded" + inc.runDuration().map(d -> " in " + Durations.human(d)).orElse("");
            case FAILED -> "Failed" + inc.runDuration().map(d -> " after " + Durations.human(d)).orElse("");
            default -> capital(inc.state().description());
        };
    }

    private static String planText(CardView v) {
        Map<Integer, TimelineEvent> last = new HashMap<>();
        for (TimelineEvent e : v.timeline()) {
            if (e.type() != EventType.STEP_PROGRESS) { // progress leaves the step's mark as it was (running)
                e.stepNo().ifPresent(n -> last.put(n, e));
            }
        }
        boolean over = v.incident().state() != IncidentState.RUNNING;
        StringBuilder sb = new StringBuilder("*Plan*");
        for (int i = 0; i < v.plan().size(); i++) {
            sb.append('\n').append(stepLine(i + 1, v.plan().get(i), Optional.ofNullable(last.get(i + 1)), over));
        }
        for (int n = v.plan().size() + 1; last.containsKey(n); n++) {
            TimelineEvent e = last.get(n);
            sb.append('\n').append(stepLine(n, "Recovery: " + e.stepTitle().orElse(""), Optional.of(e), over));
        }
        return sb.toString();
    }

    /** A step's line; {@code over}: the run has ended, so a step that started and never ended did not finish. */
    private static String stepLine(int no, String title, Optional<TimelineEvent> state, boolean over) {
        boolean unfinished = over && state.map(e -> e.type() == EventType.STEP_STARTED).orElse(false);
        String mark = unfinished ? "⚠️" : state.map(e -> switch (e.type()) {
            case STEP_STARTED -> "▶️";
            case STEP_SUCCEEDED -> "✅";
            default -> "❌";
        }).orElse("◻️");
        String took = state.flatMap(TimelineEvent::duration).map(d -> " _(" + Durations.human(d) + ")_").orElse("");
        return mark + " " + no + ". " + Text.escape(title) + took + (unfinished ? " _(did not finish)_" : "");
    }

    private static String approvalText(CardView v) {
        Incident inc = v.incident();
        if (inc.requiredApprovals() == 0) {
            return "*Approvals:* none needed";
        }
        String given = v.approvedBy().isEmpty() ? (inc.state() == IncidentState.PENDING ? "none yet" : "none")
                : String.join(", ", v.approvedBy().stream().map(Text::user).toList());
        String text = "*Approvals:* " + v.approvedBy().size() + " of " + inc.requiredApprovals() + " (" + given + ")";
        if (inc.state() == IncidentState.PENDING) {
            text += "\nApprovers: " + v.approvers() + inc.expiresAt().map(e -> " · expires " + TIME.format(e)).orElse("");
        }
        return text;
    }

    /** {@code `api` runs `v1` and is healthy}; for a data rollback, whose backup's data the datastore holds. */
    static String runsNow(Incident inc) {
        String to = inc.toVersion().map(Text::code).orElse("?");
        return switch (inc.kind()) {
            case DATA -> Text.code(inc.target()) + " holds the data of " + to;
            case VALIDATE -> Text.code(inc.target()) + " passed every check that applies; nothing was changed";
            default -> Text.code(inc.target()) + " runs " + to + " and is healthy";
        };
    }

    /** What a procedure added to a success's "done in ..." (a restore's data-loss window), as a sentence; else nothing. */
    static String figures(String detail) {
        int at = detail.indexOf("; ");
        return at < 0 || !detail.startsWith("done in ") ? "" : " " + capital(detail.substring(at + 2)) + ".";
    }

    private static Optional<String> outcomeText(CardView v) {
        Incident inc = v.incident();
        Optional<TimelineEvent> end = v.timeline().stream().filter(e -> e.type().isFinal()).reduce((a, b) -> b);
        String detail = end.flatMap(TimelineEvent::detail).or(inc::detail).map(d -> Text.escape(d)).orElse("");
        String who = end.flatMap(TimelineEvent::actor).map(Text::user).orElse("");
        return switch (inc.state()) {
            case RUNNING -> Optional.empty();
            case SUCCEEDED -> Optional.of("*Outcome:* ✅ " + runsNow(inc) + inc.runDuration().map(d -> ". Total " + Durations.human(d))
                    .orElse("") + "." + figures(detail));
            case FAILED -> Optional.of("*Outcome:* ❌ " + CheckLines.marked(detail));
            case DENIED -> Optional.of("*Outcome:* ⛔ Denied by " + who + ". Nothing ran.");
            case CANCELLED -> Optional.of("*Outcome:* Cancelled" + (who.isEmpty() ? ": " + detail : " by " + who) + ". Nothing ran.");
            case EXPIRED -> Optional.of("*Outcome:* ⌛ Expired: " + detail + ". Nothing ran.");
            case INTERRUPTED -> Optional.of("*Outcome:* ⚠️ Interrupted: " + detail);
            default -> Optional.of("*Outcome:* " + capital(inc.state().description()) + (detail.isEmpty() ? "" : ": " + detail));
        };
    }

    /** What was done while the approval waits, or what failed (then Approve refuses to start). */
    private static Optional<String> preparationText(Incident inc) {
        return inc.prepareState().flatMap(state -> switch (state) {
            case PREPARING -> Optional.of("🧰 _Preparing while you decide…_");
            case READY -> inc.prepareDetail().map(d -> "🧰 *Prepared while you decide:* " + Text.escape(d)
                    + ". Approve only has to switch.");
            case FAILED -> Optional.of("❌ *Preparing failed:* " + Text.escape(inc.prepareDetail().orElse("no reason given"))
                    + ". Approve will refuse to start: deny or cancel this request, fix the cause, and request again.");
            case DISCARDED -> Optional.empty();
        });
    }

    /** The escalation as the timeline tells it: the last level paged, and who acknowledged or why pages stopped. */
    private static Optional<String> escalationText(CardView v) {
        Optional<TimelineEvent> paged = v.timeline().stream().filter(e -> e.type() == EventType.PAGED).reduce((a, b) -> b);
        if (paged.isEmpty()) {
            return Optional.empty();
        }
        String level = paged.get().detail().map(d -> d.contains(",") ? d.substring(0, d.indexOf(',')) : d).orElse("?");
        String text = "*Escalation:* paged " + Text.escape(level) + " at " + TIME.format(paged.get().at());
        Optional<TimelineEvent> end = v.timeline().stream().filter(e -> e.type() == EventType.ACKNOWLEDGED
                || e.type() == EventType.ESCALATION_STOPPED || e.type() == EventType.ESCALATION_OPENED).reduce((a, b) -> b);
        if (end.isPresent() && end.get().type() == EventType.ACKNOWLEDGED) {
            text += " · ✋ acknowledged by " + end.get().actor().map(Text::user).orElse("?") + " at " + TIME.format(end.get().at());
        } else if (end.isPresent() && end.get().type() == EventType.ESCALATION_STOPPED) {
            text += " · 🔕 pages stopped at " + TIME.format(end.get().at());
        } else {
            text += " · not acknowledged yet";
        }
        return Optional.of(text);
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
