package dev.rollbackbot.kubernetes;

import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.Optional;

/**
 * What every procedure on a Kubernetes Deployment shares: the revisions are resolved, and the target ReplicaSet read
 * while the approval waits, by {@link KubernetesRollbacks}. A subclass names its kind and builds its steps.
 */
abstract class KubernetesProcedure implements Procedure {
    protected final KubernetesRollbacks kubernetes;

    KubernetesProcedure(KubernetesRollbacks kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public final TargetType type() {
        return TargetType.KUBERNETES_DEPLOYMENT;
    }

    @Override
    public final Resolution resolve(RollbackRequest request) {
        return kubernetes.resolve(request);
    }

    @Override
    public final Optional<Prepared> prepare(Incident incident) {
        return Optional.of(kubernetes.prepare(incident));
    }
}
