package dev.rollbackbot.procedures;

import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.List;
import java.util.Optional;

/**
 * One procedure of the runbook on one type of target, e.g. a manual rollback of a Docker service. Registered once
 * in the composition root; the {@link ProcedureRegistry} finds it by {@link #kind()} and {@link #type()}.
 *
 * <p>The shape every procedure follows: resolve what would change and pin it (before approval); then steps that
 * prepare, switch by a cheap reversible step, verify, and clean up, with a {@link dev.rollbackbot.rollback.Recovery}
 * that puts things back when a step fails or the run is interrupted.
 */
public interface Procedure {
    RollbackKind kind();

    TargetType type();

    /** Every target a run locks, {@code target} first. Configuration only: no I/O. */
    default List<String> locks(String target) {
        return List.of(target);
    }

    /** What would change, with pins and warnings; may do I/O. Throws a UserError when it cannot be planned. */
    Resolution resolve(RollbackRequest request);

    /** The steps of a planned incident. Builds objects only: no I/O. */
    RollbackPlan plan(Incident incident);

    /** See {@link dev.rollbackbot.rollback.Planner#prepare}: nothing by default. */
    default Optional<Prepared> prepare(Incident incident) {
        return Optional.empty();
    }

    /** See {@link dev.rollbackbot.rollback.Planner#discard}. */
    default void discard(Incident incident) {
    }
}
