package dev.rollbackbot.docker;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Step;
import java.util.ArrayList;
import java.util.List;

/** The Docker forms of the manual and emergency procedures, built on one {@link ContainerSwap}. */
public final class DockerPlanner {
    private final ContainerEngine engine;
    private final HttpHealthCheck health;
    private final DockerVersions versions;

    public DockerPlanner(ContainerEngine engine, HttpHealthCheck health, DockerVersions versions) {
        this.engine = engine;
        this.health = health;
        this.versions = versions;
    }

    /** Manual: recreate the container from the previous image with the same settings, then wait for health. */
    public RollbackPlan manual(Incident inc, ServiceConfig s) {
        ContainerSwap swap = swap(inc, s);
        return new RollbackPlan(List.of(
                Step.of("Stop " + s.container() + " (" + from(inc) + ") and keep it as " + swap.keptName(), true, swap::stopCurrent),
                Step.of("Start " + s.container() + " on " + to(inc) + " with the same settings", true, swap::startTarget),
                Step.of(waitTitle(s), true, swap::awaitHealthy)),
                swap);
    }

    /**
     * Emergency, the runbook's five steps: stop, restore the previous version, check each datastore the service
     * depends on (reported, not fatal: the service is already back), verify health.
     */
    public RollbackPlan emergency(Incident inc, ServiceConfig s, List<Step> datastoreChecks) {
        ContainerSwap swap = swap(inc, s);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("Stop " + s.container() + " (" + from(inc) + ")", true, swap::stopCurrent));
        steps.add(Step.of("Restore the previous version: start " + s.container() + " on " + to(inc), true, swap::startTarget));
        steps.addAll(datastoreChecks);
        steps.add(Step.of(waitTitle(s), true, swap::awaitHealthy));
        return new RollbackPlan(steps, swap);
    }

    private ContainerSwap swap(Incident inc, ServiceConfig s) {
        return new ContainerSwap(engine, health, s, inc.ref(),
                new ContainerSwap.Target(from(inc), inc.fromImageId(), to(inc), inc.toImageId()), () -> recordQuietly(s));
    }

    /** Notes the version now running in the deployment history; a failure here must not fail the rollback. */
    private void recordQuietly(ServiceConfig s) {
        try {
            versions.current(s);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DockerPlanner.class).warn("{}: could not record the new version: {}", s.name(), e.getMessage());
        }
    }

    private static String waitTitle(ServiceConfig s) {
        return "Verify " + s.name() + " answers 200 at " + s.healthUrl() + " (within " + Durations.format(s.readyTimeout()) + ")";
    }

    private static String from(Incident inc) {
        return inc.fromVersion().orElseThrow();
    }

    private static String to(Incident inc) {
        return inc.toVersion().orElseThrow();
    }
}
