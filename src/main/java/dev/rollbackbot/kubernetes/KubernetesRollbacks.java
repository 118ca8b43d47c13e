package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/** What the Kubernetes procedures share: resolving the revisions and building the {@link KubernetesRollout} of an incident. */
public final class KubernetesRollbacks {
    private final BotConfig config;
    private final Deployments deployments;
    private final HttpHealthCheck health;
    private final KubernetesVersions versions;
    private final Clock clock;

    public KubernetesRollbacks(BotConfig config, Deployments deployments, HttpHealthCheck health, KubernetesVersions versions,
            Clock clock) {
        this.config = config;
        this.deployments = deployments;
        this.health = health;
        this.versions = versions;
        this.clock = clock;
    }

    ServiceConfig service(String name) {
        return config.service(name).orElseThrow();
    }

    Resolution resolve(RollbackRequest r) {
        return Resolution.of(versions.resolve(service(r.target()), r.toVersion()));
    }

    /** Reads the target ReplicaSet while the approval waits: the revision to roll back to must still be there. */
    Prepared prepare(Incident inc) {
        ServiceConfig s = service(inc.target());
        String hash = inc.toPin().orElseThrow().value();
        Deployments.Revision r = deployments.revisions(s.namespace(), s.deployment()).stream().filter(x -> x.hash().equals(hash))
                .findFirst().orElseThrow(() -> new UserError("the ReplicaSet of " + inc.toVersion().orElse("the target revision")
                        + " (pod-template-hash " + hash + ") is gone from deployment " + deployment(s) + ", so there is nothing to roll"
                        + " back to. Request the rollback again to plan from what is there now."));
        return new Prepared("read the ReplicaSet of " + r.describe() + " (pod-template-hash " + hash + "): its pod template is"
                + " ready to be written back", null);
    }

    KubernetesRollout rollout(Incident inc) {
        ServiceConfig s = service(inc.target());
        return new KubernetesRollout(deployments, health, clock, s, new KubernetesRollout.Target(inc.fromVersion().orElseThrow(),
                inc.fromPin().orElseThrow(), inc.toVersion().orElseThrow(), inc.toPin().orElseThrow()), () -> recordQuietly(s));
    }

    static String deployment(ServiceConfig s) {
        return s.namespace() + "/" + s.deployment();
    }

    Step rollBack(ServiceConfig s, Incident inc, KubernetesRollout r, String title) {
        return Step.of(title + ": deployment " + deployment(s) + " from " + inc.fromVersion().orElseThrow() + " to "
                + inc.toVersion().orElseThrow(), true, r::rollBack);
    }

    Step awaitRollout(ServiceConfig s, KubernetesRollout r) {
        return Step.of("Wait for the rollout of " + deployment(s) + " to complete (within " + Durations.format(s.readyTimeout()) + ")",
                true, r::awaitRollout);
    }

    Step verify(ServiceConfig s, KubernetesRollout r) {
        return Step.of("Verify " + s.name() + " answers 200 at " + s.healthUrl() + " (within " + Durations.format(s.readyTimeout())
                + ")", true, r::verify);
    }

    private void recordQuietly(ServiceConfig s) {
        try {
            versions.current(s);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(KubernetesRollbacks.class).warn("{}: could not record the new revision: {}", s.name(), e.getMessage());
        }
    }
}
