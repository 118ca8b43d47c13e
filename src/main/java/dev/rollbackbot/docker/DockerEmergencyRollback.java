package dev.rollbackbot.docker;

import static dev.rollbackbot.docker.DockerRollbacks.from;
import static dev.rollbackbot.docker.DockerRollbacks.to;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.DatastoreChecks;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Emergency, on Docker, the runbook's five steps: stop, restore the previous version, check each datastore the
 * service depends on (reported, not fatal: the service is already back), verify health.
 */
public final class DockerEmergencyRollback extends DockerProcedure {
    private final DatastoreChecks datastoreChecks;

    public DockerEmergencyRollback(DockerRollbacks docker, DatastoreChecks datastoreChecks) {
        super(docker);
        this.datastoreChecks = datastoreChecks;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.EMERGENCY;
    }

    @Override
    public List<String> locks(String target) {
        return datastoreChecks.locks(target);
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = docker.service(inc.target());
        ContainerSwap swap = docker.swap(inc);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("Stop " + s.container() + " (" + from(inc) + ")", true, swap::stopCurrent).readingAhead(swap::readAhead));
        steps.add(Step.of("Restore the previous version: start " + s.container() + " on " + to(inc), true, swap::startTarget));
        steps.addAll(datastoreChecks.stepsFor(s, inc));
        steps.add(docker.verify(s, swap));
        return new RollbackPlan(steps, swap);
    }
}
