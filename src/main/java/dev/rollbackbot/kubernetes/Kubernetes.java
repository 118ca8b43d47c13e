package dev.rollbackbot.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fabric8 client, built on first use: from the file {@code KUBECONFIG} names, else fabric8's own discovery
 * (~/.kube/config or the in-cluster service account). A bot with only Docker services never builds it, so a missing
 * KUBECONFIG cannot break its start-up.
 */
public final class Kubernetes implements AutoCloseable {
    private final Supplier<KubernetesClient> factory;
    private volatile KubernetesClient client;

    private Kubernetes(Supplier<KubernetesClient> factory) {
        this.factory = factory;
    }

    public static Kubernetes lazily(Optional<String> kubeconfig) {
        return new Kubernetes(() -> {
            if (kubeconfig.isEmpty()) {
                return new KubernetesClientBuilder().build();
            }
            try {
                Config config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig.get())));
                return new KubernetesClientBuilder().withConfig(config).build();
            } catch (IOException e) {
                throw new KubernetesException("cannot read KUBECONFIG " + kubeconfig.get() + ": " + e.getMessage());
            }
        });
    }

    public static Kubernetes of(KubernetesClient client) {
        return new Kubernetes(() -> client);
    }

    public KubernetesClient client() {
        KubernetesClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = factory.get();
                }
                c = client;
            }
        }
        return c;
    }

    /** Where the client points, for messages. */
    public String describe() {
        try {
            return "the Kubernetes API at " + client().getMasterUrl();
        } catch (RuntimeException e) {
            return "the Kubernetes API (not reachable: " + e.getMessage() + ")";
        }
    }

    /** One API call; a refusal or an unreachable API becomes a {@link KubernetesException} naming {@code what} and why. */
    <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw refused(what, e);
        }
    }

    KubernetesException refused(String what, KubernetesClientException e) {
        String why = e.getCode() == 409 ? "it was changed by someone else at the same moment (409 Conflict); nothing was changed"
                : e.getCode() > 0 ? "HTTP " + e.getCode() + ": " + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage())
                : e.getMessage();
        return new KubernetesException("could not " + what + " on " + describe() + ": " + why);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
