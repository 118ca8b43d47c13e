package dev.rollbackbot.validation;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /rollback validate <service>} on one platform: the six checks and nothing else; it changes nothing. What runs
 * is read for the card; a service whose platform cannot say (its container is gone) is still validated.
 */
public final class ValidateProcedure implements Procedure {
    private final TargetType type;
    private final BotConfig config;
    private final ValidationStep validation;
    private final Function<ServiceConfig, String> running;

    /** {@code running}: the version the service runs now (image or revision), read from its platform. */
    public ValidateProcedure(TargetType type, BotConfig config, ValidationStep validation, Function<ServiceConfig, String> running) {
        this.type = type;
        this.config = config;
        this.validation = validation;
        this.running = running;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.VALIDATE;
    }

    @Override
    public TargetType type() {
        return type;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        ServiceConfig s = config.service(request.target()).orElseThrow();
        String now;
        List<String> warnings = List.of();
        try {
            now = running.apply(s);
        } catch (RuntimeException e) {
            now = "unknown";
            warnings = List.of("Could not read what " + s.name() + " runs: " + e.getMessage());
        }
        return new Resolution(new ChosenVersions(now, now, VersionChoice.UNCHANGED, Optional.empty(), Optional.empty()), warnings);
    }

    @Override
    public RollbackPlan plan(Incident incident) {
        return new RollbackPlan(List.of(validation.stepFor(incident)), Recovery.NOTHING);
    }
}
