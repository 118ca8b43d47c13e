package dev.rollbackbot.procedures;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Platform;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.docker.DockerPlanner;
import dev.rollbackbot.docker.DockerVersions;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.RollbackKind;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Versions;
import java.util.Optional;

/** Maps each procedure of the runbook onto the platform of its target. */
public final class ProcedurePlanner implements Planner {
    private final BotConfig config;
    private final DockerVersions dockerVersions;
    private final DockerPlanner docker;
    private final DatastoreChecks datastoreChecks;

    public ProcedurePlanner(BotConfig config, DockerVersions dockerVersions, DockerPlanner docker, DatastoreChecks datastoreChecks) {
        this.config = config;
        this.dockerVersions = dockerVersions;
        this.docker = docker;
        this.datastoreChecks = datastoreChecks;
    }

    @Override
    public Versions resolve(RollbackKind kind, String target, Optional<String> toVersion) {
        ServiceConfig s = supported(kind, target);
        return dockerVersions.resolve(s, toVersion);
    }

    @Override
    public Optional<String> unsupported(RollbackKind kind, String target) {
        try {
            supported(kind, target);
            return Optional.empty();
        } catch (UserError e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = supported(inc.kind(), inc.target());
        return switch (inc.kind()) {
            case MANUAL -> docker.manual(inc, s);
            case EMERGENCY -> docker.emergency(inc, s, datastoreChecks.stepsFor(s));
            default -> throw notYet(inc.kind());
        };
    }

    private ServiceConfig supported(RollbackKind kind, String target) {
        if (kind != RollbackKind.MANUAL && kind != RollbackKind.EMERGENCY) {
            throw notYet(kind);
        }
        ServiceConfig s = config.service(target).orElseThrow(() -> new UserError("Unknown service " + target + "."));
        if (s.platform() != Platform.DOCKER) {
            throw new UserError(s.name() + " runs on Kubernetes (" + s.describeTarget() + "); this version of the bot rolls back"
                    + " Docker services only. Use `kubectl rollout undo deployment/" + s.deployment() + " -n " + s.namespace()
                    + "` for now.");
        }
        return s;
    }

    static UserError notYet(RollbackKind kind) {
        return new UserError("`/rollback " + kind.word() + "` is understood but not available yet in this version of the bot."
                + " Available now: `manual` and `emergency` for Docker services, and `status`, `history`, `cancel`, `help`.");
    }
}
