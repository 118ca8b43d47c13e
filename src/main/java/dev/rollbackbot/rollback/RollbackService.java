package dev.rollbackbot.rollback;

import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.common.Message;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.incident.ApprovalRecord;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Lease;
import dev.rollbackbot.incident.NewIncident;
import dev.rollbackbot.incident.PrepareState;
import dev.rollbackbot.incident.RunLeases;
import dev.rollbackbot.incident.TargetBusyException;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The rollback workflow, free of chat: open an incident for a request from any trigger (lock its targets, plan the
 * concrete versions, post its card through the {@link IncidentBoard}, start it at once when it needs no approval),
 * approve or deny, cancel, expire, and take over runs whose replica went silent. Every change is a timeline event.
 */
public final class RollbackService {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final IncidentStore store;
    private final RunLeases leases;
    private final IncidentEvents events;
    private final Planner planner;
    private final ApprovalPolicy policy;
    private final ApprovalSettings approvals;
    private final RollbackRunner runner;
    private final IncidentBoard board;
    private final Preparations preparations;
    private final Clock clock;

    public RollbackService(IncidentStore store, RunLeases leases, IncidentEvents events, Planner planner, ApprovalPolicy policy,
            ApprovalSettings approvals, RollbackRunner runner, IncidentBoard board, Preparations preparations, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.events = events;
        this.planner = planner;
        this.policy = policy;
        this.approvals = approvals;
        this.runner = runner;
        this.board = board;
        this.preparations = preparations;
        this.clock = clock;
    }

    /**
     * Request, plan, card, then approvals or an immediate start: the one way any trigger opens an incident. Throws
     * {@link UserError} when a target is busy or it cannot be planned (nothing changed), and
     * {@link IncidentBoard.NotPosted} when the card could not be posted (the request is withdrawn).
     */
    public Incident open(RollbackRequest r) {
        Incident inc = request(r);
        IncidentBoard.Posted posted;
        try {
            posted = board.post(inc, r.channel());
        } catch (IncidentBoard.NotPosted e) {
            withdraw(inc.id(), "could not post the approval card: " + e.reason());
            throw e;
        }
        store.attachMessage(inc.id(), posted.channel(), posted.ts());
        Incident shown = load(inc.id());
        if (shown.state() != IncidentState.PENDING) {
            board.refresh(shown); // it ended while its card was being posted: its events found no card to redraw
            return shown;
        }
        if (shown.requiredApprovals() == 0) {
            store.start(shown.id(), runner.owner(), clock.instant()).ifPresent(lease -> runner.start(load(shown.id()), lease));
        } else {
            preparations.prepare(shown); // while the approvers read the card
        }
        return load(inc.id());
    }

    /** Opens a PENDING incident holding its targets, with the concrete versions planned; no card yet. */
    Incident request(RollbackRequest r) {
        Instant now = clock.instant();
        int required = policy.required(r.kind());
        Incident inc;
        try {
            inc = store.create(new NewIncident(r.kind(), r.target(), planner.locks(r.kind(), r.target()), r.requester(), r.reason(),
                    r.channel(), required, now.plus(approvals.expireAfter())), now);
        } catch (TargetBusyException e) {
            throw new UserError(busyMessage(r.target(), e.running()));
        }
        events.publish(TimelineEvent.of(inc.id(), now, EventType.REQUESTED, r.requester().isPerson() ? r.requester().id() : null,
                (r.requester().isPerson() ? "" : "by " + r.requester().plain() + ": ") + r.kind().word() + " " + r.target()
                        + (r.reason().isEmpty() ? "" : ": " + r.reason())));
        try {
            Resolution plan = planner.resolve(r);
            store.plan(inc.id(), plan.versions(), plan.warnings(), required);
            Incident planned = load(inc.id());
            planner.plan(planned);
            return planned;
        } catch (UserError e) {
            refuse(inc.id(), e.getMessage());
            throw new UserError(Message.text(inc.ref() + " could not be planned, so nothing was changed: ").then(e.message()));
        } catch (RuntimeException e) {
            refuse(inc.id(), "internal error while planning");
            throw e;
        }
    }

    private void refuse(long id, String why) {
        if (store.finish(id, IncidentState.PENDING, IncidentState.REFUSED, clock.instant(), why)) {
            events.publish(TimelineEvent.of(id, clock.instant(), EventType.REFUSED, null, why));
        }
    }

    /** The card could not be shown: the request is withdrawn so its targets are free again. */
    private void withdraw(long id, String why) {
        if (store.finish(id, IncidentState.PENDING, IncidentState.CANCELLED, clock.instant(), why)) {
            events.publish(TimelineEvent.of(id, clock.instant(), EventType.CANCELLED, null, why));
        }
    }

    public Decision approve(long id, String user) {
        Incident inc = load(id);
        if (inc.state() != IncidentState.PENDING) {
            return Decision.of(Decision.Outcome.REFUSED, inc, notPending(inc));
        }
        if (inc.prepareState().filter(st -> st == PrepareState.FAILED).isPresent()) {
            return Decision.of(Decision.Outcome.REFUSED, inc, inc.ref() + " cannot start: preparing it failed ("
                    + inc.prepareDetail().orElse("see its thread") + "). Nothing was changed and your approval was not"
                    + " counted. Deny or cancel it, fix the cause, and request the rollback again.");
        }
        Optional<Message> refusal = policy.refusal(user, inc);
        if (refusal.isPresent()) {
            return Decision.of(Decision.Outcome.REFUSED, inc, refusal.get());
        }
        runner.planAhead(inc); // this click may start it: its first reads overlap the approval's recording
        Instant now = clock.instant();
        ApprovalRecord r = null;
        try {
            r = store.approve(id, user, runner.owner(), now);
        } finally {
            if (r == null || r.status() != ApprovalRecord.Status.STARTED) {
                runner.dropPlanAhead(id);
            }
        }
        return switch (r.status()) {
            case DUPLICATE -> Decision.of(Decision.Outcome.REFUSED, r.incident(), "You already approved " + inc.ref()
                    + "; an approver counts once (" + r.given() + " of " + inc.requiredApprovals() + " given).");
            case NOT_PENDING -> Decision.of(Decision.Outcome.REFUSED, r.incident(), notPending(r.incident()));
            case EXPIRED -> {
                expire(id);
                yield Decision.of(Decision.Outcome.REFUSED, load(id), notPending(load(id)));
            }
            case RECORDED -> {
                events.publish(TimelineEvent.of(id, now, EventType.APPROVED, user, r.given() + " of " + inc.requiredApprovals()));
                int left = inc.requiredApprovals() - r.given();
                yield Decision.of(Decision.Outcome.APPROVAL_RECORDED, r.incident(), "You approved " + inc.ref() + " ("
                        + r.given() + " of " + inc.requiredApprovals() + "). It waits for " + left + " more approver"
                        + (left == 1 ? "" : "s") + ".");
            }
            case STARTED -> {
                events.publish(TimelineEvent.of(id, now, EventType.APPROVED, user, r.given() + " of " + inc.requiredApprovals()));
                runner.start(r.incident(), r.lease().orElseThrow());
                yield Decision.of(Decision.Outcome.STARTED, r.incident(), (String) null);
            }
        };
    }

    public Decision deny(long id, String user) {
        Incident inc = load(id);
        if (inc.state() != IncidentState.PENDING) {
            return Decision.of(Decision.Outcome.REFUSED, inc, notPending(inc));
        }
        if (inc.requester().is(user)) {
            return cancel(id, user);
        }
        if (!policy.isApprover(user)) {
            return Decision.of(Decision.Outcome.REFUSED, inc, Message.text("You are not an approver for rollbacks, so you cannot"
                    + " deny " + inc.ref() + ". Approvers: ").then(policy.approvers()).then("."));
        }
        Instant now = clock.instant();
        if (!store.finish(id, IncidentState.PENDING, IncidentState.DENIED, now, "denied by " + user)) {
            return Decision.of(Decision.Outcome.REFUSED, load(id), notPending(load(id)));
        }
        events.publish(TimelineEvent.of(id, now, EventType.DENIED, user, null));
        return Decision.of(Decision.Outcome.DENIED, load(id), (String) null);
    }

    /** The requester withdraws a pending request. */
    public Decision cancel(long id, String user) {
        Incident inc = store.find(id).orElseThrow(() -> new UserError("There is no INC-" + id + ". `/rollback status` lists open incidents."));
        if (!inc.requester().is(user)) {
            throw new UserError(Message.text("Only ").then(requester(inc)).then(", who requested " + inc.ref() + ", can cancel it."
                    + (inc.state() == IncidentState.PENDING ? " An approver can press Deny instead." : "")));
        }
        if (inc.state() == IncidentState.RUNNING) {
            throw new UserError(inc.ref() + " is already running (" + inc.currentStep().orElse("starting")
                    + "); a rollback is not stopped half-way. Follow it in its thread.");
        }
        Instant now = clock.instant();
        if (inc.state() != IncidentState.PENDING || !store.finish(id, IncidentState.PENDING, IncidentState.CANCELLED, now, "cancelled by " + user)) {
            throw new UserError(notPending(load(id)));
        }
        events.publish(TimelineEvent.of(id, now, EventType.CANCELLED, user, null));
        return Decision.of(Decision.Outcome.CANCELLED, load(id), "You cancelled " + inc.ref() + "; nothing ran.");
    }

    /** Expires pending requests whose window has closed; returns how many this replica expired. */
    public int expireDue() {
        int n = 0;
        for (long id : store.dueForExpiry(clock.instant())) {
            if (expire(id)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Takes over running incidents whose replica has been silent for {@code silence} (by the database's clock): each is
     * given to this replica under a new lease, whose runner puts back what the run changed, or records exactly where
     * things stand, before it ends the incident and frees its targets. Returns how many this replica took.
     */
    public int takeOverSilentRuns(Duration silence) {
        int n = 0;
        for (long id : leases.silent(silence)) {
            Optional<Lease> lease = leases.takeOver(id, runner.owner(), silence);
            if (lease.isPresent()) {
                runner.takeOver(load(id), lease.get());
                n++;
            }
        }
        return n;
    }

    private boolean expire(long id) {
        Instant now = clock.instant();
        String detail = "no approval within " + Durations.format(approvals.expireAfter());
        if (store.finish(id, IncidentState.PENDING, IncidentState.EXPIRED, now, detail)) {
            events.publish(TimelineEvent.of(id, now, EventType.EXPIRED, null, detail));
            return true;
        }
        return false;
    }

    private Incident load(long id) {
        return store.find(id).orElseThrow(() -> new UserError("There is no INC-" + id + "."));
    }

    private String notPending(Incident inc) {
        return switch (inc.state()) {
            case PENDING -> inc.ref() + " is still waiting for approval.";
            case RUNNING -> inc.ref() + " is already approved and running; your click changed nothing.";
            case EXPIRED -> inc.ref() + " expired" + inc.finishedAt().map(t -> " at " + HHMM.format(t)).orElse("")
                    + " without enough approvals; nothing ran. Request it again if it is still needed.";
            default -> inc.ref() + " is " + inc.state().description() + "; your click changed nothing.";
        };
    }

    private static Message requester(Incident inc) {
        return inc.requester().isPerson() ? Message.empty().mention(inc.requestedBy()) : Message.text(inc.requester().plain());
    }

    /** Names the incident holding a target, its kind, requester and step; {@code wanted} may be locked by another's rollback. */
    private static Message busyMessage(String wanted, Incident running) {
        boolean pending = running.state() == IncidentState.PENDING;
        String where = running.currentStep().map(st -> "step: " + st).orElse(pending ? "not started" : "starting");
        Message holder = wanted.equals(running.target()) ? Message.text(" already has a rollback ")
                : Message.text(" is locked by the rollback of ").code(running.target()).then(" ");
        Message m = Message.empty().code(wanted).then(holder).then((pending ? "waiting for approval"
                : "running") + ": " + running.ref() + " (" + running.kind().word() + ", requested by ").then(requester(running))
                .then(", " + where + "). One rollback per target at a time: follow that one in its thread");
        if (pending && running.requester().isPerson()) {
            m = m.then(", or ask ").then(requester(running)).then(" to cancel it");
        }
        return m.then(" (`/rollback status " + running.ref() + "`).");
    }
}
