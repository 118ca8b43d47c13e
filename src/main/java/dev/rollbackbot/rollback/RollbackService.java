package dev.rollbackbot.rollback;

import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.command.Command;
import dev.rollbackbot.common.Text;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.incident.ApprovalRecord;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.NewIncident;
import dev.rollbackbot.incident.TargetBusyException;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The rollback workflow, free of Slack: request (lock the target, plan concrete versions), approve or deny,
 * cancel, expire, and start the run once enough approvers said yes. Every change is an event in the timeline.
 */
public final class RollbackService {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final IncidentStore store;
    private final IncidentEvents events;
    private final Planner planner;
    private final ApprovalPolicy policy;
    private final ApprovalSettings approvals;
    private final RollbackRunner runner;
    private final Clock clock;

    public RollbackService(IncidentStore store, IncidentEvents events, Planner planner, ApprovalPolicy policy,
            ApprovalSettings approvals, RollbackRunner runner, Clock clock) {
        this.store = store;
        this.events = events;
        this.planner = planner;
        this.policy = policy;
        this.approvals = approvals;
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * Opens a PENDING incident for the request, holding its target, with the concrete versions planned.
     * Throws {@link UserError} when the target is busy or the rollback cannot be planned (then the incident is REFUSED).
     */
    public Incident request(Command.Rollback cmd, String requester, String channelId) {
        Instant now = clock.instant();
        Incident inc;
        try {
            inc = store.create(new NewIncident(cmd.kind(), cmd.target(), requester, cmd.reason(), channelId,
                    policy.required(cmd.kind()), now.plus(approvals.expireAfter())), now);
        } catch (TargetBusyException e) {
            throw new UserError(busyMessage(e.running()));
        }
        events.publish(TimelineEvent.of(inc.id(), now, EventType.REQUESTED, requester,
                cmd.kind().word() + " " + cmd.target() + (cmd.reason().isEmpty() ? "" : ": " + cmd.reason())));
        try {
            Versions v = planner.resolve(cmd.kind(), cmd.target(), cmd.toVersion());
            store.plan(inc.id(), v, policy.required(cmd.kind()));
            Incident planned = store.find(inc.id()).orElseThrow();
            planner.plan(planned);
            return planned;
        } catch (UserError e) {
            if (store.finish(inc.id(), IncidentState.PENDING, IncidentState.REFUSED, clock.instant(), e.getMessage())) {
                events.publish(TimelineEvent.of(inc.id(), clock.instant(), EventType.REFUSED, null, e.getMessage()));
            }
            throw new UserError(inc.ref() + " could not be planned, so nothing was changed: " + e.getMessage());
        } catch (RuntimeException e) {
            store.finish(inc.id(), IncidentState.PENDING, IncidentState.REFUSED, clock.instant(), "internal error while planning");
            events.publish(TimelineEvent.of(inc.id(), clock.instant(), EventType.REFUSED, null, "internal error while planning"));
            throw e;
        }
    }

    /** The approval card was posted: its channel and ts identify the thread for progress. */
    public void cardPosted(long id, String channelId, String ts) {
        store.attachMessage(id, channelId, ts);
    }

    /** The card could not be posted: the request is withdrawn so the target is free again. */
    public void cardFailed(long id, String why) {
        if (store.finish(id, IncidentState.PENDING, IncidentState.CANCELLED, clock.instant(), why)) {
            events.publish(TimelineEvent.of(id, clock.instant(), EventType.CANCELLED, null, why));
        }
    }

    /** Starts a request that needs no approval, right after its card is up. */
    public void startIfNoApprovalNeeded(Incident inc) {
        if (inc.requiredApprovals() == 0 && store.start(inc.id(), runner.owner(), clock.instant())) {
            runner.start(store.find(inc.id()).orElseThrow());
        }
    }

    public Decision approve(long id, String user) {
        Incident inc = load(id);
        if (inc.state() != IncidentState.PENDING) {
            return Decision.of(Decision.Outcome.REFUSED, inc, notPending(inc));
        }
        var refusal = policy.refusal(user, inc);
        if (refusal.isPresent()) {
            return Decision.of(Decision.Outcome.REFUSED, inc, refusal.get());
        }
        Instant now = clock.instant();
        ApprovalRecord r = store.approve(id, user, runner.owner(), now);
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
                runner.start(r.incident());
                yield Decision.of(Decision.Outcome.STARTED, r.incident(), null);
            }
        };
    }

    public Decision deny(long id, String user) {
        Incident inc = load(id);
        if (inc.state() != IncidentState.PENDING) {
            return Decision.of(Decision.Outcome.REFUSED, inc, notPending(inc));
        }
        if (user.equals(inc.requestedBy())) {
            return cancel(id, user);
        }
        if (!policy.isApprover(user)) {
            return Decision.of(Decision.Outcome.REFUSED, inc, "You are not an approver for rollbacks, so you cannot deny "
                    + inc.ref() + ". Approvers: " + policy.approversText() + ".");
        }
        Instant now = clock.instant();
        if (!store.finish(id, IncidentState.PENDING, IncidentState.DENIED, now, "denied by " + user)) {
            return Decision.of(Decision.Outcome.REFUSED, load(id), notPending(load(id)));
        }
        events.publish(TimelineEvent.of(id, now, EventType.DENIED, user, null));
        return Decision.of(Decision.Outcome.DENIED, load(id), null);
    }

    /** The requester withdraws a pending request. */
    public Decision cancel(long id, String user) {
        Incident inc = store.find(id).orElseThrow(() -> new UserError("There is no INC-" + id + ". `/rollback status` lists open incidents."));
        if (!user.equals(inc.requestedBy())) {
            throw new UserError("Only " + Text.user(inc.requestedBy()) + ", who requested " + inc.ref() + ", can cancel it."
                    + (inc.state() == IncidentState.PENDING ? " An approver can press Deny instead." : ""));
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

    /** Marks running incidents whose replica went silent as interrupted. */
    public int interruptStale(java.time.Duration silence) {
        int n = 0;
        for (long id : store.staleRunning(clock.instant().minus(silence))) {
            Incident inc = load(id);
            String detail = "the bot running it stopped answering during " + inc.currentStep().orElse("its first step")
                    + ". Check the service by hand before running it again.";
            if (store.finish(id, IncidentState.RUNNING, IncidentState.INTERRUPTED, clock.instant(), detail)) {
                events.publish(TimelineEvent.of(id, clock.instant(), EventType.INTERRUPTED, null, detail));
                n++;
            }
        }
        return n;
    }

    private boolean expire(long id) {
        Instant now = clock.instant();
        String detail = "no approval within " + dev.rollbackbot.config.Durations.format(approvals.expireAfter());
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

    private String busyMessage(Incident running) {
        String where = running.currentStep().map(st -> "step: " + Text.escape(st))
                .orElse(running.state() == IncidentState.PENDING ? "not started" : "starting");
        return Text.code(running.target()) + " already has a rollback " + (running.state() == IncidentState.PENDING
                ? "waiting for approval" : "running") + ": *" + running.ref() + "* (" + running.kind().word() + ", requested by "
                + Text.user(running.requestedBy()) + ", " + where + "). One rollback per target at a time: follow that one"
                + " in its thread" + (running.state() == IncidentState.PENDING ? ", or ask " + Text.user(running.requestedBy())
                        + " to cancel it" : "") + " (`/rollback status " + running.ref() + "`).";
    }
}
