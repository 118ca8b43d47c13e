package dev.rollbackbot.analysis;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One incident's whole record as a Markdown document: the runbook's rollback log entry (date, time, service, reason,
 * versions, who requested and approved, duration, outcome), then every step, the decisions, the escalation, the data
 * restore's figures and the full timeline. Plain Markdown (a file people keep), not Slack's mrkdwn.
 */
public final class IncidentLog {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Set<EventType> DECISIONS = EnumSet.of(EventType.REQUESTED, EventType.APPROVED, EventType.DENIED,
            EventType.CANCELLED, EventType.EXPIRED, EventType.REFUSED, EventType.PREPARED, EventType.PREPARE_FAILED);
    private static final Set<EventType> ESCALATION = EnumSet.of(EventType.ESCALATION_OPENED, EventType.PAGED,
            EventType.PAGE_THREAD, EventType.PAGE_DM, EventType.PAGE_EMAIL, EventType.PAGE_FAILED, EventType.ACKNOWLEDGED,
            EventType.ESCALATION_STOPPED, EventType.HEALTHY_AGAIN);

    private IncidentLog() {
    }

    public static String markdown(Incident i, List<String> approvers, List<TimelineEvent> timeline,
            Optional<DataRestores.Figures> restore) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(i.ref()).append(": ").append(i.kind().word()).append(" rollback of ").append(i.target()).append("\n\n");
        md.append("Rollback log entry, as the runbook keeps it. Times are UTC.\n\n| Field | Value |\n|---|---|\n");
        row(md, "Date", DATE.format(i.createdAt()));
        row(md, "Time", TIME.format(i.createdAt()));
        row(md, "Service", i.target());
        row(md, "Kind", i.kind().word());
        row(md, "Reason", i.reason().isBlank() ? "(none given)" : i.reason());
        row(md, "From version", i.fromVersion().orElse("?"));
        row(md, "To version", i.toVersion().orElse("?"));
        row(md, "Requested by", i.requester().plain());
        row(md, "Approved by", approvers.isEmpty() ? (i.requiredApprovals() == 0 ? "(no approval needed)" : "(nobody)")
                : String.join(", ", approvers.stream().map(a -> "@" + a).toList()) + " (" + approvers.size() + " of "
                        + i.requiredApprovals() + " needed)");
        row(md, "Duration", i.runDuration().map(Durations::human).orElse("(did not run)")
                + i.finishedAt().map(f -> "; " + Durations.human(Duration.between(i.createdAt(), f)) + " from request to end").orElse(""));
        row(md, "Outcome", i.state().description() + i.detail().map(d -> ": " + d).orElse(""));
        i.startedAt().ifPresent(s -> row(md, "Started", WHEN.format(s)));
        i.finishedAt().ifPresent(f -> row(md, "Ended", WHEN.format(f)));

        steps(md, timeline);
        section(md, "Requests, approvals and decisions", timeline.stream().filter(e -> DECISIONS.contains(e.type())).toList());
        section(md, "Escalation: pages and acknowledgements", timeline.stream().filter(e -> ESCALATION.contains(e.type())).toList());
        restore.ifPresent(r -> md.append("\n## Data restore\n\n| Field | Value |\n|---|---|\n")
                .append(line("Datastore", r.datastore())).append(line("Backup", r.backup()))
                .append(line("Backup taken", WHEN.format(r.backupAt()))).append(line("Its data live", WHEN.format(r.restoredAt())))
                .append(line("Data-loss window", Durations.human(r.dataLossWindow())))
                .append(line("Restore took", Durations.human(r.took()))));
        List<TimelineEvent> validation = timeline.stream().filter(IncidentLog::isValidation).toList();
        section(md, "Validation", validation);

        md.append("\n## Full timeline\n\n| Time (UTC) | Event | By | Step | Duration | Detail |\n|---|---|---|---|---|---|\n");
        for (TimelineEvent e : timeline) {
            md.append("| ").append(WHEN.format(e.at()).replace(" UTC", "")).append(" | ").append(name(e.type()))
                    .append(" | ").append(cell(e.actor().map(a -> "@" + a).orElse(""))).append(" | ")
                    .append(cell(e.stepNo().map(n -> n + " " + e.stepTitle().orElse("")).orElse(""))).append(" | ")
                    .append(e.duration().map(Durations::human).orElse("")).append(" | ").append(cell(e.detail().orElse("")))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static void steps(StringBuilder md, List<TimelineEvent> timeline) {
        List<TimelineEvent> starts = timeline.stream().filter(e -> e.type() == EventType.STEP_STARTED).toList();
        md.append("\n## Steps\n\n");
        if (starts.isEmpty()) {
            md.append("No step ran.\n");
            return;
        }
        md.append("| # | Step | Started | Duration | Result | Detail |\n|---|---|---|---|---|---|\n");
        for (TimelineEvent s : starts) {
            Optional<TimelineEvent> end = timeline.stream().filter(e -> e.stepNo().equals(s.stepNo()) && !e.at().isBefore(s.at())
                    && (e.type() == EventType.STEP_SUCCEEDED || e.type() == EventType.STEP_FAILED)).findFirst();
            md.append("| ").append(s.stepNo().orElse(0)).append(" | ").append(cell(s.stepTitle().orElse(""))).append(" | ")
                    .append(TIME.format(s.at())).append(" | ").append(end.flatMap(TimelineEvent::duration).map(Durations::human).orElse(""))
                    .append(" | ").append(end.map(e -> e.type() == EventType.STEP_SUCCEEDED ? "succeeded" : "FAILED").orElse("did not end"))
                    .append(" | ").append(cell(end.flatMap(TimelineEvent::detail).orElse(""))).append(" |\n");
        }
    }

    /** Lines of the validation suite, when the incident has them: steps or events that name validation or a check. */
    private static boolean isValidation(TimelineEvent e) {
        String type = e.type().name();
        return type.startsWith("VALIDATION") || type.startsWith("CHECK")
                || e.stepTitle().map(t -> t.toLowerCase(Locale.ROOT).startsWith("validat")).orElse(false) && e.type() != EventType.STEP_STARTED;
    }

    private static void section(StringBuilder md, String title, List<TimelineEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n");
        for (TimelineEvent e : events) {
            md.append("- ").append(TIME.format(e.at())).append(" ").append(name(e.type()));
            e.actor().ifPresent(a -> md.append(" by @").append(a));
            e.duration().ifPresent(d -> md.append(" after ").append(Durations.human(d)));
            e.detail().ifPresent(d -> md.append(": ").append(d.replace("\n", " ")));
            md.append("\n");
        }
    }

    private static String name(EventType t) {
        return t.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void row(StringBuilder md, String field, String value) {
        md.append(line(field, value));
    }

    private static String line(String field, String value) {
        return "| " + field + " | " + cell(value) + " |\n";
    }

    /** A table cell: pipes escaped, line breaks as spaces. */
    static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }
}
