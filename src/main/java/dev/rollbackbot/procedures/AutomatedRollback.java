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
 * The health monitor's rollback (kind {@code automated}): the same steps as the platform's manual procedure, under
 * its own kind, so it needs no approval by default, pages at once and is counted apart.
 */
public final class AutomatedRollback implements Procedure {
    private final Procedure manual;

    public AutomatedRollback(Procedure manual) {
        if (manual.kind() != RollbackKind.MANUAL) {
            throw new IllegalArgumentException("an automated rollback runs a manual procedure, not " + manual.kind().word());
        }
        this.manual = manual;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.AUTOMATED;
    }

    @Override
    public TargetType type() {
        return manual.type();
    }

    @Override
    public List<String> locks(String target) {
        return manual.locks(target);
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        return manual.resolve(request);
    }

    @Override
    public RollbackPlan plan(Incident incident) {
        return manual.plan(incident);
    }

    @Override
    public Optional<Prepared> prepare(Incident incident) {
        return manual.prepare(incident);
    }

    @Override
    public void discard(Incident incident) {
        manual.discard(incident);
    }
}
