package dev.rollbackbot.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.ProcedureRegistry;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every plan that passes through the registry ends with the validation, not critical; a validation's own plan does not. */
class FinalStepTest {
    private static final BotConfig CONFIG = ConfigLoader.parse("final.yml", """
            slack: {channel: C0OPS}
            services:
              api: {platform: docker, container: api, health-url: "http://api:8080/health", depends-on: [db]}
            datastores:
              db: {type: postgres, host: 10.0.0.5, database: app}
            """);
    private static final ValidationStep VALIDATION = new ValidationStep(CONFIG, new ValidationSuite(null, null, null,
            CheckCounter.NONE, null, ValidationSuite.BOUND));

    /** A procedure of two critical steps, as every rollback's own steps are. */
    private record TwoSteps(RollbackKind kind, TargetType type) implements Procedure {
        @Override
        public Resolution resolve(RollbackRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RollbackPlan plan(Incident incident) {
            return new RollbackPlan(List.of(Step.of("switch", true, () -> ""), Step.of("verify", true, () -> "")), Recovery.NOTHING);
        }
    }

    private final ProcedureRegistry registry = new ProcedureRegistry(CONFIG, List.of(
            new TwoSteps(RollbackKind.MANUAL, TargetType.DOCKER_CONTAINER), new TwoSteps(RollbackKind.DATA, TargetType.POSTGRES),
            new ValidateProcedure(TargetType.DOCKER_CONTAINER, CONFIG, VALIDATION, s -> "api:1")), VALIDATION);

    @Test
    void aRollbackEndsWithTheValidationWhichIsNotCritical() {
        RollbackPlan plan = registry.plan(incident(RollbackKind.MANUAL, "api"));
        assertThat(plan.titles()).containsExactly("switch", "verify", "Validate api: the runbook's six checks");
        assertThat(plan.steps().get(2).critical()).as("a failed validation must not put the rollback back").isFalse();
    }

    @Test
    void aDataRollbackValidatesTheDatastoreAndItsServices() {
        assertThat(registry.plan(incident(RollbackKind.DATA, "db")).titles()).last()
                .isEqualTo("Validate db and api: the runbook's six checks");
    }

    @Test
    void aValidationIsOneStepAndNotValidatedAgain() {
        assertThat(registry.plan(incident(RollbackKind.VALIDATE, "api")).titles()).containsExactly("Validate api: the runbook's six checks");
    }

    private static Incident incident(RollbackKind kind, String target) {
        return new Incident(1, kind, target, IncidentState.RUNNING, Requester.person("U0DEV"), "", Optional.of("a"), Optional.of("b"),
                0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
