package dev.rollbackbot.validation;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.FinalStep;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.util.Optional;

/**
 * The last step of every rollback, and the only step of {@code /rollback validate}: the six checks on the target (a
 * service; for a data rollback, the datastore and every service that depends on it). Not critical: a failed check
 * fails the incident, and so escalates, but puts nothing back: the rollback itself went through.
 */
public final class ValidationStep implements FinalStep {
    private final BotConfig config;
    private final ValidationSuite suite;

    public ValidationStep(BotConfig config, ValidationSuite suite) {
        this.config = config;
        this.suite = suite;
    }

    /** Every plan but a validation's own ends with the validation. */
    @Override
    public Optional<Step> after(Incident incident) {
        return incident.kind() == RollbackKind.VALIDATE ? Optional.empty() : Optional.of(stepFor(incident));
    }

    public Step stepFor(Incident incident) {
        Scope scope = incident.kind() == RollbackKind.DATA
                ? Scope.ofDatastore(config, config.datastore(incident.target()).orElseThrow())
                : Scope.ofService(config, config.service(incident.target()).orElseThrow());
        boolean drill = incident.kind() == RollbackKind.DRILL;
        return Step.of("Validate " + scope.name() + ": the runbook's six checks", false, () -> {
            Report r = suite.run(scope, drill);
            if (!r.passed()) {
                throw new StepFailure(r.text());
            }
            return r.text();
        });
    }
}
