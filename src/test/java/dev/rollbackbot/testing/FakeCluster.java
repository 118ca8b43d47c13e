package dev.rollbackbot.testing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock API server in CRUD mode, plus the controller it lacks: on every tick (25 ms) it gives each
 * Deployment's pod template a ReplicaSet (reusing an old one when a rollback brings its template back, with the next
 * revision number, as Kubernetes does), moves the rollout on by one ready pod per tick, and writes the replica counts
 * into the Deployment's status. A template whose image is in {@link #neverReady} never becomes ready: one new pod
 * waits in ImagePullBackOff while the old pods keep serving.
 */
public final class FakeCluster implements AutoCloseable {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String HASH = "pod-template-hash";

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final Path kubeconfig;
    private final ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-kube-controller");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
    /** Per deployment: the hash it rolls out now, and how many of its pods are ready. */
    private final Map<String, String> rollingHash = new ConcurrentHashMap<>();
    private final Map<String, Integer> readyNew = new ConcurrentHashMap<>();
    private volatile int ticksPerPod = 1;

    public FakeCluster() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        kubeconfig = Files.createTempFile("rbt-kubeconfig", ".yml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: mock
                  context: {cluster: mock, user: test, namespace: default}
                current-context: mock
                users:
                - name: test
                  user: {token: test-token}
                """.formatted(client.getMasterUrl()));
        controller.scheduleWithFixedDelay(this::tickQuietly, 25, 25, TimeUnit.MILLISECONDS);
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    /** The value for KUBECONFIG. */
    public String kubeconfig() {
        return kubeconfig.toString();
    }

    /** Pods of templates with this image never become ready (ImagePullBackOff). */
    public void neverReady(String image) {
        neverReady.add(image);
    }

    /** Creates a Deployment with one container and waits until the controller has rolled it out. */
    public Deployment deploy(String ns, String name, int replicas, String image) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, image)).endSpec().build();
        return client.apps().deployments().inNamespace(ns).resource(d).create();
    }

    /**
     * One colour of a blue-green app: a Deployment {@code app-colour} whose pods carry {@code app} and {@code colour}
     * labels (created rolled out, unless its image never becomes ready).
     */
    public Deployment deployColour(String ns, String app, String colour, int replicas, String image) {
        String name = app + "-" + colour;
        PodTemplateSpec t = new PodTemplateSpecBuilder(template(app, image)).editMetadata().addToLabels("colour", colour).endMetadata()
                .build();
        Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).addToMatchLabels("colour", colour)
                .endSelector().withTemplate(t).endSpec().build();
        return client.apps().deployments().inNamespace(ns).resource(d).create();
    }

    /** A Service {@code name} selecting {@code selector}. */
    public void service(String ns, String name, Map<String, String> selector) {
        client.services().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withNamespace(ns).withName(name).endMetadata().withNewSpec().withSelector(new LinkedHashMap<>(selector))
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    public Map<String, String> selector(String ns, String service) {
        return client.services().inNamespace(ns).withName(service).get().getSpec().getSelector();
    }

    /** A new release: the Deployment's image changes, as {@code kubectl set image} does. */
    public void setImage(String ns, String name, String image) {
        client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
            d.getSpec().setTemplate(template(name, image));
            return d;
        });
    }

    public static PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .withContainers(new ContainerBuilder().withName(app).withImage(image).build()).endSpec().build();
    }

    public Deployment deployment(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    public String image(String ns, String name) {
        return deployment(ns, name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    public boolean rolledOut(String ns, String name) {
        Deployment d = deployment(ns, name);
        var s = d.getStatus();
        int n = d.getSpec().getReplicas();
        return s != null && s.getUpdatedReplicas() != null && s.getUpdatedReplicas() == n && s.getAvailableReplicas() != null
                && s.getAvailableReplicas() == n && s.getReplicas() == n
                && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // the next tick tries again (e.g. a conflict with the bot's own update)
        }
    }

    private synchronized void tick() {
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            reconcile(d);
        }
    }

    private void reconcile(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        String name = d.getMetadata().getName();
        String key = ns + "/" + name;
        PodTemplateSpec wanted = withoutHash(d.getSpec().getTemplate());
        var sets = client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(name))).toList();
        long maxRevision = sets.stream().mapToLong(rs -> Long.parseLong(rs.getMetadata().getAnnotations().get(REVISION))).max().orElse(0);
        ReplicaSet current = sets.stream().filter(rs -> withoutHash(rs.getSpec().getTemplate()).equals(wanted)).findFirst().orElse(null);
        if (current == null) {
            String hash = Integer.toHexString(wanted.hashCode() & 0x7fffffff);
            PodTemplateSpec t = new PodTemplateSpecBuilder(wanted).editMetadata().addToLabels(HASH, hash).endMetadata().build();
            current = client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata()
                    .withNamespace(ns).withName(name + "-" + hash).addToLabels(t.getMetadata().getLabels())
                    .addToAnnotations(REVISION, String.valueOf(maxRevision + 1))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                            .withUid(d.getMetadata().getUid()).withController(true).build())
                    .endMetadata().withNewSpec().withReplicas(d.getSpec().getReplicas()).withNewSelector()
                    .addToMatchLabels(d.getSpec().getSelector().getMatchLabels()).addToMatchLabels(HASH, hash).endSelector()
                    .withTemplate(t).endSpec().build()).create();
        } else if (Long.parseLong(current.getMetadata().getAnnotations().get(REVISION)) < maxRevision) {
            ReplicaSet back = current; // a rollback brought an old template back: it becomes the newest revision
            back.getMetadata().getAnnotations().put(REVISION, String.valueOf(maxRevision + 1));
            current = client.apps().replicaSets().inNamespace(ns).resource(back).update();
        }
        String hash = current.getMetadata().getLabels().get(HASH);
        int n = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        boolean firstSeen = !rollingHash.containsKey(key);
        if (!hash.equals(rollingHash.put(key, hash))) {
            readyNew.put(key, firstSeen ? n : 0); // a Deployment created in the test starts rolled out
        }
        String image = wanted.getSpec().getContainers().get(0).getImage();
        boolean bad = neverReady.contains(image);
        int k = bad ? 0 : Math.min(n, readyNew.merge(key, 1, Integer::sum));
        long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
        var status = bad
                ? new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(n + 1).withUpdatedReplicas(1)
                        .withReadyReplicas(n).withAvailableReplicas(n).withUnavailableReplicas(1).build()
                : new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(n).withUpdatedReplicas(k)
                        .withReadyReplicas(k).withAvailableReplicas(k).build();
        syncPods(ns, name, d, hash, bad);
        if (!status.equals(d.getStatus())) {
            d.setStatus(status);
            client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
        }
    }

    private void syncPods(String ns, String name, Deployment d, String hash, boolean bad) {
        String podName = name + "-" + hash + "-pull";
        var pods = client.pods().inNamespace(ns);
        for (var p : pods.withLabel("app", name).list().getItems()) {
            if (!p.getMetadata().getName().equals(podName) || !bad) {
                pods.resource(p).delete();
            }
        }
        if (bad && pods.withName(podName).get() == null) {
            String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            pods.resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName(podName).addToLabels("app", name)
                    .addToLabels(HASH, hash).endMetadata().withNewStatus().withPhase("Pending")
                    .withContainerStatuses(new ContainerStatusBuilder().withName(name).withImage(image).withReady(false)
                            .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                            .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState().build())
                    .endStatus().build()).create();
        }
    }

    private static PodTemplateSpec withoutHash(PodTemplateSpec t) {
        Map<String, String> labels = new LinkedHashMap<>(t.getMetadata().getLabels());
        labels.remove(HASH);
        return new PodTemplateSpecBuilder(t).editMetadata().withLabels(labels).endMetadata().build();
    }

    @Override
    public void close() {
        controller.shutdownNow();
        client.close();
        server.destroy();
    }
}
