package dev.rollbackbot.slack;

import dev.rollbackbot.escalation.Escalations;
import java.util.List;

/** The open escalations, for {@code /rollback oncall}: incident, level paged, who, and when the next page is due. */
final class EscalationAnswers {
    private EscalationAnswers() {
    }

    static SlackMessage open(List<Escalations.OpenView> open) {
        if (open.isEmpty()) {
            return SlackMessage.text("*Open escalations:* none.");
        }
        StringBuilder sb = new StringBuilder("*Open escalations*");
        for (Escalations.OpenView v : open) {
            var e = v.escalation();
            sb.append("\n• *").append(v.incident().ref()).append("* ").append(v.incident().kind().word()).append(' ')
                    .append(Text.code(v.incident().target())).append(" — ");
            if (e.pages() == 0) {
                sb.append("L1 is being paged now");
            } else {
                sb.append("paged ").append(Text.escape(v.lastPaged().name())).append(" (").append(Text.escape(v.lastPaged().role()))
                        .append(": ").append(String.join(", ", v.lastPaged().page().stream().map(Text::mention).toList()))
                        .append(") at ").append(CardRenderer.TIME.format(e.lastPagedAt().orElseThrow()))
                        .append(" — next page (").append(Text.escape(v.nextLevel().name())).append(") due ")
                        .append(v.nextDue().map(CardRenderer.TIME::format).orElse("?"));
            }
        }
        return SlackMessage.text(sb.toString());
    }
}
