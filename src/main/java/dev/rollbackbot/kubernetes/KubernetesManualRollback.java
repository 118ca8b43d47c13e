package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.RollbackPlan;
import java.util.List;

/** Manual, on Kubernetes: roll the Deployment back to the previous (or given) revision, wait for the rollout, verify. */
public final class KubernetesManualRollback extends KubernetesProcedure {

    public KubernetesManualRollback(KubernetesRollbacks kubernetes) {
        super(kubernetes);
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.MANUAL;
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
