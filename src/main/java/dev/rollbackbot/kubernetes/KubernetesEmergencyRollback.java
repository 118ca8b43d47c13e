package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.DatastoreChecks;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Emergency, on Kubernetes, the runbook's steps with Kubernetes actions: roll the Deployment back (its old pods serve
 * until the new ones are ready, so there is no separate stop), wait for the rollout, check each datastore the service
 * depends on (reported, not fatal), verify health.
 */
public final class KubernetesEmergencyRollback extends KubernetesProcedure {
    private final DatastoreChecks datastoreChecks;

    public KubernetesEmergencyRollback(KubernetesRollbacks kubernetes, DatastoreChecks datastoreChecks) {
        super(kubernetes);
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
        ServiceConfig s = kubernetes.service(inc.target());
        KubernetesRollout r = kubernetes.rollout(inc);
        List<Step> steps = new ArrayList<>();
        steps.add(kubernetes.rollBack(s, inc, r, "Restore the previous version"));
        steps.add(kubernetes.awaitRollout(s, r));
        steps.addAll(datastoreChecks.stepsFor(s, inc));
        steps.add(kubernetes.verify(s, r));
        return new RollbackPlan(steps, r);
    }
}
