package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.List;

/** Manual, on Kubernetes: roll the Deployment back to the previous (or given) revision, wait for the rollout, verify. */
public final class KubernetesManualRollback implements Procedure {
    private final KubernetesRollbacks kubernetes;

    public KubernetesManualRollback(KubernetesRollbacks kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.MANUAL;
    }

    @Override
    public TargetType type() {
        return TargetType.KUBERNETES_DEPLOYMENT;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        return kubernetes.resolve(request);
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = kubernetes.service(inc.target());
        KubernetesRollout r = kubernetes.rollout(inc);
        return new RollbackPlan(List.of(
                kubernetes.rollBack(s, inc, r, "Roll back"),
                kubernetes.awaitRollout(s, r),
                kubernetes.verify(s, r)), r);
    }
}
