package dev.rollbackbot.docker;

import static dev.rollbackbot.docker.DockerRollbacks.from;
import static dev.rollbackbot.docker.DockerRollbacks.to;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Step;
import java.time.Duration;
import java.util.List;

/**
 * The runbook's drill, on Docker: stop the service to simulate a failed deploy (and see it is down), roll it back to
 * its previous version with the manual procedure's machinery, verify (the validation suite follows, as after every
 * rollback). It is recorded as a drill: its versions never count as "rolled back from", its pages go to L1 only, and
 * its figures are kept apart. A failed drill puts the old container back, as a failed rollback does.
 */
public final class DockerDrill extends DockerProcedure {
    private static final Duration DOWN_PROBE = Duration.ofSeconds(1);
    private final HttpHealthCheck health;

    public DockerDrill(DockerRollbacks docker, HttpHealthCheck health) {
        super(docker);
        this.health = health;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.DRILL;
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = docker.service(inc.target());
        ContainerSwap swap = docker.swap(inc);
        return new RollbackPlan(List.of(
                Step.of("Simulate a failed deploy: stop " + s.container() + " (" + from(inc) + ") and keep it as " + swap.keptName(),
                        true, () -> swap.stopCurrent() + "; " + outage(s)),
                Step.of("Roll back: start " + s.container() + " on " + to(inc) + " with the same settings", true, swap::startTarget),
                docker.verify(s, swap)),
                swap);
    }

    /** What the health URL says now that the service is stopped: the outage the drill practises recovering from. */
    private String outage(ServiceConfig s) {
        HttpHealthCheck.Probe p = health.probe(s.healthUrl(), DOWN_PROBE);
        return p.healthy()
                ? s.healthUrl() + " still answers 200 (something else serves it): the simulated outage is not visible there"
                : "simulated outage: " + s.healthUrl() + " answers " + p.describe();
    }
}
