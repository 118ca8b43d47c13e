package dev.rollbackbot.app;

import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import dev.rollbackbot.rollback.RollbackService;
import dev.rollbackbot.timers.Timers;

/**
 * Approval expiry on durable timers: one per pending request, set when it is requested and dropped when it ends
 * (its run, if approved, has ended).
 * When it fires, every pending request whose window closed expires (a conditional update: once, on any replica).
 */
final class ExpiryTimers implements IncidentListener {
    static final String TIMER = "expire";

    private final Timers timers;
    private final IncidentStore store;

    ExpiryTimers(Timers timers, IncidentStore store, RollbackService service) {
        this.timers = timers;
        this.store = store;
        timers.on(TIMER, id -> service.expireDue());
    }

    /** Sets a timer for every pending request (those requested before this version, or while timers were off). */
    void scheduleAllPending() {
        for (Incident inc : store.active()) {
            schedule(inc);
        }
    }

    @Override
    public void onEvent(TimelineEvent e) {
        if (e.type() == EventType.REQUESTED) {
            store.find(e.incidentId()).ifPresent(this::schedule);
        } else if (e.type().isFinal()) {
            // not at STARTED: a run must not wait for the timer store's locks between Approve and its first step, and a
            // timer that fires for a running incident expires nothing (only pending ones expire)
            timers.cancel(TIMER, e.incidentId());
        }
    }

    private void schedule(Incident inc) {
        if (inc.state() == IncidentState.PENDING && inc.expiresAt().isPresent()) {
            timers.at(TIMER, inc.id(), inc.expiresAt().get());
        }
    }
}
