package dev.rollbackbot.docker;

import static dev.rollbackbot.docker.DockerRollbacks.from;
import static dev.rollbackbot.docker.DockerRollbacks.to;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Step;
import java.util.List;

/** Manual, on Docker: recreate the container from the previous image with the same settings, then wait for health. */
public final class DockerManualRollback extends DockerProcedure {

    public DockerManualRollback(DockerRollbacks docker) {
        super(docker);
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.MANUAL;
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = docker.service(inc.target());
        ContainerSwap swap = docker.swap(inc);
        return new RollbackPlan(List.of(
                Step.of("Stop " + s.container() + " (" + from(inc) + ") and keep it as " + swap.keptName(), true, swap::stopCurrent)
                        .readingAhead(swap::readAhead),
                Step.of("Start " + s.container() + " on " + to(inc) + " with the same settings", true, swap::startTarget),
                docker.verify(s, swap)),
                swap);
    }
}
