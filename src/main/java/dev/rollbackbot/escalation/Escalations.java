package dev.rollbackbot.escalation;

import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.approval.ApproverDirectory;
import dev.rollbackbot.common.Message;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentEvents;
import dev.rollbackbot.timers.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escalation matrix at work: open an escalation, page L1 at once and the next level each time the current one's
 * {@code respond-within} passes unacknowledged (the last level repeats), stop on an acknowledgement or when the
 * incident resolves. Pages are durable timers ({@link Timers}); each page is claimed in the database first, so it
 * goes out once however many replicas fire it. Every page, delivery, acknowledgement and stop is a timeline event.
 */
public final class Escalations {
    private static final Logger log = LoggerFactory.getLogger(Escalations.class);
    public static final String TIMER = "page";
    /** How long a page waits for the incident's card (its thread) before going out without it. */
    static final Duration CARD_WAIT = Duration.ofSeconds(30);
    static final Duration CARD_POLL = Duration.ofMillis(200);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final EscalationStore escalations;
    private final IncidentStore incidents;
    private final IncidentEvents events;
    private final List<EscalationLevel> levels;
    private final Timers timers;
    private final List<Pager> pagers;
    private final ApprovalPolicy approvals;
    private final ApproverDirectory directory;
    private final CardLinks links;
    private final Clock clock;

    /** Where people open an incident's card (a Slack permalink), when it has one. */
    public interface CardLinks {
        Optional<String> link(Incident incident);
    }

    public Escalations(EscalationStore escalations, IncidentStore incidents, IncidentEvents events, List<EscalationLevel> levels,
            Timers timers, List<Pager> pagers, CardLinks links, ApprovalPolicy approvals, ApproverDirectory directory,
            Clock clock) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("an escalation matrix needs at least one level");
        }
        this.escalations = escalations;
        this.incidents = incidents;
        this.events = events;
        this.levels = List.copyOf(levels);
        this.timers = timers;
        this.pagers = List.copyOf(pagers);
        this.approvals = approvals;
        this.directory = directory;
        this.links = links;
        this.clock = clock;
        timers.on(TIMER, this::page);
    }

    /** Opens an escalation for the incident unless one is open; its first page (L1) is due at once. */
    public Optional<Escalation> open(long incidentId, String reason) {
        Instant now = clock.instant();
        Optional<Escalation> opened = escalations.open(incidentId, reason, now);
        opened.ifPresent(e -> {
            events.publish(TimelineEvent.of(incidentId, now, EventType.ESCALATION_OPENED, null, reason));
            timers.at(TIMER, e.id(), now);
        });
        return opened;
    }

    private Optional<String> link(Incident inc) {
        try {
            return links.link(inc);
        } catch (RuntimeException e) {
            log.warn("{}: no link to its card: {}", inc.ref(), e.toString());
            return Optional.empty();
        }
    }

    /** Stops the incident's open escalation without an acknowledgement (resolved, denied, cancelled). */
    public void stop(long incidentId, String why) {
        escalations.openFor(incidentId).ifPresent(e -> {
            Instant now = clock.instant();
            if (escalations.close(e.id(), why, now)) {
                timers.cancel(TIMER, e.id());
                events.publish(TimelineEvent.of(incidentId, now, EventType.ESCALATION_STOPPED, null, why));
            }
        });
    }

    /** The timer of escalation {@code id} fired: send the page that is due, if it still is, and set the next one. */
    public void page(long id) {
        Optional<Escalation> found = escalations.find(id);
        if (found.isEmpty() || !found.get().isOpen()) {
            return;
        }
        Escalation e = found.get();
        Incident inc = incidents.find(e.incidentId()).orElseThrow();
        if (EnumSet.of(IncidentState.SUCCEEDED, IncidentState.DENIED, IncidentState.CANCELLED, IncidentState.REFUSED)
                .contains(inc.state())) {
            return; // it ended in a way that stops pages; its event (being published now) closes the escalation
        }
        Instant now = clock.instant();
        if (inc.messageTs().isEmpty() && inc.state() == IncidentState.PENDING
                && Duration.between(inc.createdAt(), now).compareTo(CARD_WAIT) < 0) {
            timers.at(TIMER, id, now.plus(CARD_POLL)); // the card is being posted: page into its thread once it is there
            return;
        }
        boolean drill = inc.kind() == RollbackKind.DRILL;
        EscalationLevel level = drill ? levels.get(0) : levelOf(e.pages()); // a drill pages L1 only, again if unanswered
        Instant next = now.plus(level.respondWithin());
        if (!escalations.claimPage(id, e.pages(), now, next)) {
            return; // another replica sent this page, or it was acknowledged meanwhile
        }
        timers.at(TIMER, id, next); // before sending: a crash mid-send still leaves the next page due
        int pageNo = e.pages() + 1;
        events.publish(TimelineEvent.of(inc.id(), now, EventType.PAGED, null, level.name() + ": " + level.role()
                + (drill ? " (DRILL: L1 only)" : "") + (pageNo > (drill ? 1 : levels.size()) ? ", again (page " + pageNo + ")" : "") + ", paged "
                + String.join(", ", level.page()) + (level.email().isEmpty() ? "" : ", emailed " + String.join(", ", level.email()))));
        Page page = new Page(inc, level, pageNo, happened(inc), Duration.between(e.openedAt(), now),
                inc.state() == IncidentState.PENDING ? Optional.of(approvals.approvers()) : Optional.empty(), link(inc));
        for (Pager p : pagers) {
            List<Pager.Delivery> out;
            try {
                out = p.send(page);
            } catch (RuntimeException ex) {
                log.error("{}: a pager failed", inc.ref(), ex);
                out = List.of(Pager.Delivery.failed(p.getClass().getSimpleName(), ex.toString()));
            }
            for (Pager.Delivery d : out) {
                events.publish(TimelineEvent.of(inc.id(), clock.instant(), d.type(), d.actor(), d.detail()));
            }
        }
    }

    /** {@code /rollback ack INC-n} or an Acknowledge click: stops the incident's pages. Answers the person. */
    public Message acknowledge(long incidentId, String user) {
        Incident inc = incidents.find(incidentId).orElseThrow(() -> new UserError("There is no INC-" + incidentId
                + ". `/rollback status` lists open incidents."));
        if (!mayAcknowledge(user)) {
            return Message.text("Only the people of the escalation matrix (`/rollback oncall`) or an approver can acknowledge "
                    + inc.ref() + "; your acknowledgement changed nothing.");
        }
        Optional<Escalation> open = escalations.openFor(incidentId);
        if (open.isPresent()) {
            Instant now = clock.instant();
            if (escalations.acknowledge(open.get().id(), user, now)) {
                timers.cancel(TIMER, open.get().id());
                Duration took = Duration.between(open.get().openedAt(), now);
                events.publish(new TimelineEvent(incidentId, now, EventType.ACKNOWLEDGED, Optional.of(user), Optional.empty(),
                        Optional.empty(), Optional.of(took), Optional.of("after " + open.get().pages() + " page"
                        + (open.get().pages() == 1 ? "" : "s"))));
                return Message.text("You acknowledged " + inc.ref() + ": no more pages for it.");
            }
        }
        Optional<Escalation> last = escalations.latestFor(incidentId);
        if (last.isEmpty()) {
            return Message.text(inc.ref() + " has no escalation: nobody is being paged for it.");
        }
        Escalation l = last.get();
        if (l.ackedBy().isPresent()) {
            return Message.text(inc.ref() + " was already acknowledged by ").mention(l.ackedBy().get())
                    .then(" at " + TIME.format(l.ackedAt().orElseThrow()) + "; nothing changed.");
        }
        return Message.text(inc.ref() + "'s pages already stopped (" + l.closeReason().orElse("closed") + "); nothing changed.");
    }

    /** Someone named in the matrix (directly or through a group), or an approver. */
    public boolean mayAcknowledge(String user) {
        for (EscalationLevel l : levels) {
            for (String id : l.page()) {
                if (id.equals(user) || (id.startsWith("S") && directory.membersOf(id).contains(user))) {
                    return true;
                }
            }
        }
        return approvals.isApprover(user);
    }

    /** An open escalation for {@code /rollback oncall}: where it stands and when the next page is due. */
    public record OpenView(Incident incident, Escalation escalation, EscalationLevel lastPaged, Optional<Instant> nextDue,
            EscalationLevel nextLevel) {
    }

    public List<OpenView> open() {
        List<OpenView> out = new ArrayList<>();
        for (Escalation e : escalations.allOpen()) {
            incidents.find(e.incidentId()).ifPresent(inc -> {
                boolean drill = inc.kind() == RollbackKind.DRILL;
                out.add(new OpenView(inc, e, drill ? levels.get(0) : levelOf(Math.max(0, e.pages() - 1)), e.nextDue(),
                        drill ? levels.get(0) : levelOf(e.pages())));
            });
        }
        return out;
    }

    public List<EscalationLevel> levels() {
        return levels;
    }

    /** The level of page number {@code n} (0-based): after the last level, the last level again. */
    EscalationLevel levelOf(int n) {
        return levels.get(Math.min(n, levels.size() - 1));
    }

    private static Message happened(Incident inc) {
        Message what = (inc.kind() == RollbackKind.DRILL ? Message.text("DRILL (practice, not a real incident): rollback drill of ")
                : Message.text(capital(inc.kind().word()) + " rollback of ")).code(inc.target()).then(" requested by ")
                .then(inc.requester().isPerson() ? Message.empty().mention(inc.requester().id()) : Message.text(inc.requester().plain()));
        String reason = inc.reason().isEmpty() ? "" : " (" + inc.reason() + ")";
        return switch (inc.state()) {
            case PENDING -> what.then(reason + ": waiting for approval.");
            case RUNNING -> what.then(reason + ": running" + inc.currentStep().map(s -> ", step: " + s).orElse("") + ".");
            case SUCCEEDED -> what.then(reason + ": succeeded.");
            default -> what.then(reason + ": " + inc.state().description() + inc.detail().map(d -> ": " + d).orElse("") + ".");
        };
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
