package dev.rollbackbot.docker;

import static dev.rollbackbot.docker.DockerRollbacks.from;
import static dev.rollbackbot.docker.DockerRollbacks.to;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.util.List;
import java.util.Optional;

/** Manual, on Docker: recreate the container from the previous image with the same settings, then wait for health. */
public final class DockerManualRollback implements Procedure {
    private final DockerRollbacks docker;

    public DockerManualRollback(DockerRollbacks docker) {
        this.docker = docker;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.MANUAL;
    }

    @Override
    public TargetType type() {
        return TargetType.DOCKER_CONTAINER;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        return docker.resolve(request);
    }

    @Override
    public Optional<Prepared> prepare(Incident incident) {
        return docker.prepare(incident);
    }

    @Override
    public void discard(Incident incident) {
        docker.discard(incident);
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = docker.service(inc.target());
        ContainerSwap swap = docker.swap(inc);
        return new RollbackPlan(List.of(
                Step.of("Stop " + s.container() + " (" + from(inc) + ") and keep it as " + swap.keptName(), true, swap::stopCurrent),
                Step.of("Start " + s.container() + " on " + to(inc) + " with the same settings", true, swap::startTarget),
                docker.verify(s, swap)),
                swap);
    }
}
