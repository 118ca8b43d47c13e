package dev.rollbackbot.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A Kubernetes Service's selector, for blue-green: read it, find the Deployments a selector picks, and switch it (only
 * if it is still what was approved; the update carries the resourceVersion just read).
 */
public final class ServiceSelectors {
    private final Kubernetes kubernetes;

    public ServiceSelectors(Kubernetes kubernetes) {
        this.kubernetes = kubernetes;
    }

    public Map<String, String> selector(String ns, String name) {
        Map<String, String> sel = service(ns, name).getSpec().getSelector();
        return sel == null ? Map.of() : new TreeMap<>(sel);
    }

    /** {@code app=web,colour=blue}: a selector as one comparable text (its keys sorted), also the switch's pin. */
    public static String text(Map<String, String> selector) {
        return new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** {@code selector} with {@code key} set to {@code value}. */
    public static Map<String, String> with(Map<String, String> selector, String key, String value) {
        Map<String, String> out = new TreeMap<>(selector);
        out.put(key, value);
        return out;
    }

    /** The Deployments of {@code ns} whose pods the selector picks (their pod template carries every label of it). */
    public List<Deployment> deploymentsSelected(String ns, Map<String, String> selector) {
        List<Deployment> all = call("list the deployments of " + ns, () -> kubernetes.client().apps().deployments().inNamespace(ns)
                .list().getItems());
        return all.stream().filter(d -> {
            var t = d.getSpec().getTemplate();
            Map<String, String> labels = t == null || t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of()
                    : t.getMetadata().getLabels();
            return labels.entrySet().containsAll(selector.entrySet());
        }).toList();
    }

    /**
     * Sets the Service's selector to {@code to}, only if it is {@code expected} now; a change in between (by someone else)
     * is refused, never overwritten.
     */
    public void switchSelector(String ns, String name, Map<String, String> expected, Map<String, String> to) {
        Service s = service(ns, name);
        Map<String, String> now = s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
        if (!text(now).equals(text(expected))) {
            throw new KubernetesException("service " + ns + "/" + name + " changed since the switch was approved: its selector is now "
                    + text(now) + ", not " + text(expected) + "; nothing was changed. Request the switch again.");
        }
        s.getSpec().setSelector(new LinkedHashMap<>(to));
        call("update the selector of service " + ns + "/" + name, () -> kubernetes.client().services().inNamespace(ns).resource(s).update());
    }

    private Service service(String ns, String name) {
        Service s = call("read service " + ns + "/" + name, () -> kubernetes.client().services().inNamespace(ns).withName(name).get());
        if (s == null) {
            throw new KubernetesException("service " + ns + "/" + name + " does not exist on " + kubernetes.describe() + ".");
        }
        return s;
    }

    private <T> T call(String what, Supplier<T> call) {
        return kubernetes.call(what, call);
    }
}
