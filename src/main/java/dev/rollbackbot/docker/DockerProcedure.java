package dev.rollbackbot.docker;

import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.Optional;

/**
 * What every procedure on a Docker service shares: the previous image is resolved, and the replacement prepared while
 * the approval waits (and discarded when it will not run), by {@link DockerRollbacks}. A subclass names its kind and
 * builds its steps.
 */
abstract class DockerProcedure implements Procedure {
    protected final DockerRollbacks docker;

    DockerProcedure(DockerRollbacks docker) {
        this.docker = docker;
    }

    @Override
    public final TargetType type() {
        return TargetType.DOCKER_CONTAINER;
    }

    @Override
    public final Resolution resolve(RollbackRequest request) {
        return docker.resolve(request);
    }

    @Override
    public final Optional<Prepared> prepare(Incident incident) {
        return docker.prepare(incident);
    }

    @Override
    public final void discard(Incident incident) {
        docker.discard(incident);
    }
}
