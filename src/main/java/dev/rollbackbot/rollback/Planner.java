package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.incident.Incident;
import java.util.Optional;

/** Turns a request into concrete versions and then into steps; one per platform. */
public interface Planner {
    /**
     * Looks up what the rollback would change (may call the engine). Throws {@link UserError} when it cannot be
     * planned: no such container, no previous version, the engine unreachable.
     */
    Versions resolve(RollbackKind kind, String target, Optional<String> toVersion);

    /** Why this kind cannot run on this target in this version, if it cannot; a configuration check only, no I/O. */
    Optional<String> unsupported(RollbackKind kind, String target);

    /** The steps for an incident whose versions were resolved. Builds objects only: no I/O. */
    RollbackPlan plan(Incident incident);
}
