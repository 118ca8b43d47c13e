package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import java.util.List;
import java.util.Optional;

/** Turns a request into concrete versions and then into steps, through the procedure registered for it. */
public interface Planner {
    /** Why this kind cannot run on this target in this version, if it cannot; a configuration check only, no I/O. */
    Optional<String> unsupported(RollbackKind kind, String target);

    /** Every target a rollback of {@code target} locks, its own first (no I/O). */
    List<String> locks(RollbackKind kind, String target);

    /**
     * Looks up what the rollback would change (may call the engine or the cluster). Throws {@link UserError} when it
     * cannot be planned: no such container, no previous version, the engine unreachable.
     */
    Resolution resolve(RollbackRequest request);

    /** The steps for an incident whose versions were resolved. Builds objects only: no I/O. */
    RollbackPlan plan(Incident incident);

    /**
     * Does, while the approval waits, whatever the run would do first that changes nothing serving traffic (for Docker:
     * create the replacement container). Empty when the procedure has nothing to prepare; throws {@link UserError} with
     * what failed, which the approver sees on the card before clicking.
     */
    Optional<Prepared> prepare(Incident incident);

    /** Removes what {@link #prepare} left, when the incident ended without running (denied, cancelled, expired). */
    void discard(Incident incident);
}
