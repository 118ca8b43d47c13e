package dev.rollbackbot.slack;

import dev.rollbackbot.command.Word;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.incident.DeploymentHistory.Deployment;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.LiveColours.Live;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The ephemeral answers to commands: help, status, history, on-call, and the acknowledgement of a request. */
public final class AnswerRenderer {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private final Set<Word> available;

    /** {@code available}: the words that do something in this version (the rest are marked "not available yet"). */
    public AnswerRenderer(Set<Word> available) {
        this.available = Set.copyOf(available);
    }

    public SlackMessage help(Optional<String> topic) {
        if (topic.isPresent()) {
            Word w = Word.of(topic.get()).orElseThrow();
            return SlackMessage.text(Text.code(w.usage()) + "\n" + CardRenderer.capital(w.summary()) + "."
                    + (available.contains(w) ? "" : "\n_Not available yet in this version of the bot._"));
        }
        StringBuilder sb = new StringBuilder("*/rollback* runs the rollback runbook from Slack, with approval, a progress"
                + " thread and an incident record.\n");
        for (Word w : Word.values()) {
            sb.append("\n• ").append(Text.code(w.usage())).append(" — ").append(w.summary())
                    .append(available.contains(w) ? "" : " _(not available yet)_");
        }
        sb.append("\n\nExample: `/rollback emergency api-prod checkout 500s after the 2.3.1 deploy`");
        return SlackMessage.text(sb.toString());
    }

    public SlackMessage requestAcknowledged(String kind, String target) {
        return SlackMessage.text("Got it: planning the " + kind + " rollback of " + Text.code(target)
                + ". The approval card will appear in this channel.");
    }

    public SlackMessage status(List<Incident> active, List<Incident> recent, List<Live> live) {
        StringBuilder sb = new StringBuilder();
        if (active.isEmpty()) {
            sb.append("No rollback is pending or running.");
        } else {
            sb.append("*Pending or running*");
            active.forEach(i -> sb.append("\n• ").append(line(i)));
        }
        List<Incident> done = recent.stream().filter(i -> !i.state().isActive()).limit(5).toList();
        if (!done.isEmpty()) {
            sb.append("\n\n*Recent*");
            done.forEach(i -> sb.append("\n• ").append(line(i)));
        }
        if (!live.isEmpty()) {
            sb.append("\n\n*Live colours*");
            live.forEach(l -> sb.append("\n• ").append(Text.code(l.service())).append(" ").append(live(l)));
        }
        sb.append("\n\n_`/rollback status INC-n` shows one incident's timeline._");
        return SlackMessage.text(sb.toString());
    }

    public SlackMessage incident(Incident i, List<String> approvedBy, List<TimelineEvent> timeline) {
        StringBuilder sb = new StringBuilder("*" + i.ref() + "* " + line(i).substring(line(i).indexOf(' ') + 1));
        sb.append("\nVersions: ").append(i.fromVersion().map(Text::code).orElse("?")).append(" → ")
                .append(i.toVersion().map(Text::code).orElse("?"));
        if (!i.reason().isEmpty()) {
            sb.append("\nReason: ").append(Text.escape(i.reason()));
        }
        sb.append("\nApprovals: ").append(approvedBy.size()).append(" of ").append(i.requiredApprovals());
        sb.append("\n\n*Timeline* (UTC)");
        List<TimelineEvent> shown = timeline.size() > 25 ? timeline.subList(timeline.size() - 25, timeline.size()) : timeline;
        for (TimelineEvent e : shown) {
            sb.append("\n`").append(TIME.format(e.at())).append("` ").append(event(e));
        }
        return SlackMessage.text(Text.shorten(sb.toString(), 3900));
    }

    /** One timeline line: {@code step 3 failed after 1 min: why}, {@code approved by @lead: 1 of 2}. */
    private static String event(TimelineEvent e) {
        StringBuilder sb = new StringBuilder();
        if (e.stepNo().isPresent()) {
            sb.append("step ").append(e.stepNo().get()).append(switch (e.type()) {
                case STEP_STARTED -> " started: " + Text.escape(e.stepTitle().orElse(""));
                case STEP_PROGRESS -> " progress";
                case STEP_SUCCEEDED -> " succeeded";
                default -> " failed";
            });
            e.duration().ifPresent(d -> sb.append(e.type() == EventType.STEP_FAILED ? " after " : " in ").append(Durations.human(d)));
        } else {
            sb.append(e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            e.actor().ifPresent(a -> sb.append(" by ").append(Text.user(a)));
        }
        e.detail().ifPresent(d -> sb.append(": ").append(e.type() == EventType.STARTED ? ThreadRenderer.versions(d)
                : Text.escape(Text.shorten(d, 300))));
        return sb.toString();
    }

    public SlackMessage history(Optional<String> service, List<Incident> incidents, List<Deployment> deployments,
            Optional<Live> live) {
        StringBuilder sb = new StringBuilder("*Rollbacks" + service.map(s -> " of " + Text.code(s)).orElse("") + "*");
        live.ifPresent(l -> sb.append("\nLive colour: ").append(live(l)));
        if (incidents.isEmpty()) {
            sb.append("\nNone recorded yet.");
        }
        incidents.forEach(i -> sb.append("\n• ").append(line(i)));
        if (service.isPresent()) {
            sb.append("\n\n*Versions seen running* (newest first)");
            if (deployments.isEmpty()) {
                sb.append("\nNone recorded yet: the bot records a version when it plans a rollback or sees the service.");
            }
            deployments.forEach(d -> sb.append("\n• ").append(Text.code(d.version())).append(" — seen ")
                    .append(WHEN.format(d.firstSeen())).append(d.firstSeen().equals(d.lastSeen()) ? ""
                            : " to " + WHEN.format(d.lastSeen())));
        }
        return SlackMessage.text(Text.shorten(sb.toString(), 3900));
    }

    public SlackMessage oncall(List<EscalationLevel> levels) {
        StringBuilder sb = new StringBuilder("*Escalation matrix* (an unacknowledged page moves up a level after its time)");
        for (EscalationLevel l : levels) {
            sb.append("\n• *").append(Text.escape(l.name())).append("* ").append(Text.escape(l.role())).append(" — ");
            List<String> who = new java.util.ArrayList<>(l.page().stream().map(Text::mention).toList());
            who.addAll(l.email().stream().map(Text::escape).toList());
            sb.append(String.join(", ", who)).append(" — respond within ").append(Durations.format(l.respondWithin()));
        }
        sb.append("\n_Open escalations, when there are any, follow in a moment._");
        return SlackMessage.text(sb.toString());
    }

    /** {@code *green* since 2026-11-30 02:40 UTC (switched by INC-3)}, or {@code (seen when planning)}. */
    private static String live(Live l) {
        return "*" + Text.escape(l.colour()) + "* since " + WHEN.format(l.since())
                + l.incidentId().map(id -> " (switched by INC-" + id + ")").orElse(" (as the bot last saw it)");
    }

    private static String line(Incident i) {
        String state = switch (i.state()) {
            case RUNNING -> "running" + i.currentStep().map(s -> " (" + Text.escape(s) + ")").orElse("");
            case SUCCEEDED, FAILED -> i.state().description() + i.runDuration().map(d -> " in " + Durations.human(d)).orElse("");
            default -> i.state().description();
        };
        return "*" + i.ref() + "* " + i.kind().word() + " " + Text.code(i.target()) + " — " + state + " — requested by "
                + Text.requester(i.requester()) + " " + WHEN.format(i.createdAt());
    }
}
