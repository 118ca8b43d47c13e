package dev.rollbackbot.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A Deployment's revisions and rollout, as {@code kubectl rollout history/undo/status} see them: each ReplicaSet the
 * Deployment owns is a revision ({@code deployment.kubernetes.io/revision}) whose pod template a rollback copies back
 * into the Deployment. Templates are matched without their {@code pod-template-hash} label, as the controller does.
 */
public final class Deployments {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String HASH = "pod-template-hash";
    private static final int CONFLICT_RETRIES = 5;

    /** One ReplicaSet of the Deployment: its revision number, template hash (the pin) and images. */
    public record Revision(long number, String hash, List<String> images, PodTemplateSpec template) {
        /** {@code revision 3 (registry/api:2.3.1)}. */
        public String describe() {
            return "revision " + number + " (" + String.join(", ", images) + ")";
        }
    }

    /** Where a rollout stands, judged as {@code kubectl rollout status} does. */
    public record Rollout(boolean complete, long generation, long observedGeneration, int desired, int updated, int total,
            int ready, int available) {
        /** {@code 2/3 pods ready (2 updated, 2 available)}. */
        public String progress() {
            if (observedGeneration < generation) {
                return "the controller has not picked up the change yet (" + ready + "/" + desired + " pods of the template before ready)";
            }
            return ready + "/" + desired + " pods ready (" + updated + " updated, " + available + " available"
                    + (total > updated ? ", " + (total - updated) + " old still running" : "") + ")";
        }
    }

    private final Kubernetes kubernetes;

    public Deployments(Kubernetes kubernetes) {
        this.kubernetes = kubernetes;
    }

    public String describe() {
        return kubernetes.describe();
    }

    public Deployment get(String ns, String name) {
        Deployment d = call("read deployment " + ns + "/" + name,
                () -> kubernetes.client().apps().deployments().inNamespace(ns).withName(name).get());
        if (d == null) {
            throw new KubernetesException("deployment " + ns + "/" + name + " does not exist on " + kubernetes.describe() + ".");
        }
        return d;
    }

    /** The Deployment's revisions, newest first. */
    public List<Revision> revisions(String ns, String name) {
        Deployment d = get(ns, name);
        List<ReplicaSet> all = call("list the ReplicaSets of " + ns + "/" + name,
                () -> kubernetes.client().apps().replicaSets().inNamespace(ns).list().getItems());
        List<Revision> out = new ArrayList<>();
        for (ReplicaSet rs : all) {
            if (!ownedBy(rs, d)) {
                continue;
            }
            Map<String, String> ann = rs.getMetadata().getAnnotations();
            String rev = ann == null ? null : ann.get(REVISION);
            if (rev == null || !rev.matches("\\d{1,18}")) {
                continue;
            }
            PodTemplateSpec t = rs.getSpec().getTemplate();
            String hash = Optional.ofNullable(rs.getMetadata().getLabels()).map(l -> l.get(HASH))
                    .or(() -> Optional.ofNullable(t.getMetadata()).map(m -> m.getLabels()).map(l -> l.get(HASH)))
                    .orElse(rs.getMetadata().getName());
            out.add(new Revision(Long.parseLong(rev), hash, images(t), t));
        }
        out.sort(Comparator.comparingLong(Revision::number).reversed());
        return out;
    }

    /** The revision whose template the Deployment asks for now (empty before the controller made its ReplicaSet). */
    public Optional<Revision> current(String ns, String name) {
        Deployment d = get(ns, name);
        PodTemplateSpec wanted = withoutHash(d.getSpec().getTemplate());
        return revisions(ns, name).stream().filter(r -> withoutHash(r.template()).equals(wanted)).findFirst();
    }

    /**
     * Puts {@code target}'s pod template into the Deployment, as {@code kubectl rollout undo --to-revision} does, but
     * only if the Deployment still asks for the template of {@code expectedCurrentHash}; the update carries the
     * resourceVersion just read, so a change in between is refused by the API server rather than overwritten. A refusal
     * because the controller wrote the status in between (409) is read again, checked again and retried a few times.
     */
    public void rollTo(String ns, String name, String expectedCurrentHash, Revision target) {
        for (int attempt = 1; ; attempt++) {
            Deployment d = get(ns, name);
            PodTemplateSpec now = withoutHash(d.getSpec().getTemplate());
            Optional<Revision> current = revisions(ns, name).stream().filter(r -> withoutHash(r.template()).equals(now)).findFirst();
            if (current.isEmpty() || !current.get().hash().equals(expectedCurrentHash)) {
                throw new KubernetesException("deployment " + ns + "/" + name + " changed since the rollback was approved: it now asks for "
                        + current.map(Revision::describe).orElse("a template no ReplicaSet has yet (a rollout is starting)")
                        + "; nothing was changed. Request the rollback again to plan from what runs now.");
            }
            d.getSpec().setTemplate(withoutHash(target.template()));
            try {
                kubernetes.client().apps().deployments().inNamespace(ns).resource(d).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw kubernetes.refused("update deployment " + ns + "/" + name, e);
                }
            }
        }
    }

    public Rollout rollout(String ns, String name) {
        Deployment d = get(ns, name);
        DeploymentStatus s = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        int updated = n(s.getUpdatedReplicas());
        int total = n(s.getReplicas());
        int ready = n(s.getReadyReplicas());
        int available = n(s.getAvailableReplicas());
        boolean complete = observed >= generation && updated == desired && total == updated && available == updated;
        return new Rollout(complete, generation, observed, desired, updated, total, ready, available);
    }

    /** Why the Deployment's pods are not ready: image pull errors, crash loops, unschedulable pods; empty when none says. */
    public List<String> podProblems(String ns, String name) {
        Deployment d = get(ns, name);
        Map<String, String> selector = d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        List<Pod> pods = call("list the pods of " + ns + "/" + name,
                () -> kubernetes.client().pods().inNamespace(ns).withLabels(selector).list().getItems());
        Set<String> out = new LinkedHashSet<>();
        for (Pod p : pods) {
            String pod = p.getMetadata().getName();
            if (p.getStatus() == null) {
                continue;
            }
            for (PodCondition c : Optional.ofNullable(p.getStatus().getConditions()).orElse(List.of())) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    out.add(pod + ": " + nz(c.getReason(), "not scheduled") + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
                }
            }
            for (ContainerStatus cs : Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of())) {
                if (cs.getState() != null && cs.getState().getWaiting() != null && cs.getState().getWaiting().getReason() != null) {
                    var w = cs.getState().getWaiting();
                    out.add(pod + ": " + w.getReason() + (w.getMessage() == null ? "" : " (" + w.getMessage() + ")"));
                } else if (cs.getState() != null && cs.getState().getTerminated() != null) {
                    var t = cs.getState().getTerminated();
                    out.add(pod + ": terminated, " + nz(t.getReason(), "exit code " + t.getExitCode()));
                }
            }
        }
        return List.copyOf(out);
    }

    static List<String> images(PodTemplateSpec t) {
        return t.getSpec().getContainers().stream().map(c -> c.getImage()).filter(Objects::nonNull).toList();
    }

    static PodTemplateSpec withoutHash(PodTemplateSpec t) {
        PodTemplateSpec copy = new PodTemplateSpecBuilder(t).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null && copy.getMetadata().getLabels().containsKey(HASH)) {
            var labels = new java.util.LinkedHashMap<>(copy.getMetadata().getLabels());
            labels.remove(HASH);
            copy = new PodTemplateSpecBuilder(copy).editMetadata().withLabels(labels).endMetadata().build();
        }
        return copy;
    }

    private static boolean ownedBy(ReplicaSet rs, Deployment d) {
        var refs = rs.getMetadata().getOwnerReferences();
        if (refs != null && !refs.isEmpty()) {
            return refs.stream().anyMatch(r -> "Deployment".equals(r.getKind()) && d.getMetadata().getName().equals(r.getName()));
        }
        Map<String, String> sel = d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
        Map<String, String> labels = rs.getMetadata().getLabels();
        return sel != null && !sel.isEmpty() && labels != null && labels.entrySet().containsAll(sel.entrySet());
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static String nz(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s;
    }

    private <T> T call(String what, Supplier<T> call) {
        return kubernetes.call(what, call);
    }
}
