package dev.rollbackbot.procedures;

import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Step;
import java.util.Optional;

/** A step the {@link ProcedureRegistry} adds at the end of every plan (the validation suite), whatever the procedure. */
@FunctionalInterface
public interface FinalStep {
    /** The step for this incident, or empty when its plan needs none. Builds objects only: no I/O. */
    Optional<Step> after(Incident incident);

    FinalStep NONE = incident -> Optional.empty();
}
