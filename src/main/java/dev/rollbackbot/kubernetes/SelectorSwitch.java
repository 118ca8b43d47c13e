package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.procedures.TrafficSwitch;
import dev.rollbackbot.rollback.StepFailure;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Switches a blue-green service's traffic by patching its Kubernetes Service's selector, once every Deployment of the
 * target colour is fully ready; a failed health check (or an interrupted run) puts the selector back.
 */
final class SelectorSwitch extends TrafficSwitch {
    private final ServiceSelectors selectors;
    private final Deployments deployments;
    private final String ns;
    private final String serviceName;
    private final Map<String, String> approved;
    private final Map<String, String> target;

    SelectorSwitch(ServiceSelectors selectors, Deployments deployments, HttpHealthCheck health, ServiceConfig service,
            String serviceName, String key, String from, String to, Map<String, String> approved, Consumer<String> onLive) {
        super(health, service, from, to, onLive);
        this.selectors = selectors;
        this.deployments = deployments;
        this.ns = service.namespace();
        this.serviceName = serviceName;
        this.approved = Map.copyOf(approved);
        this.target = ServiceSelectors.with(approved, key, to);
    }

    /** Every Deployment the target selector picks must be fully rolled out, all replicas available; none at all is a failure. */
    String checkTarget() {
        List<Deployment> ds = selectors.deploymentsSelected(ns, target);
        if (ds.isEmpty()) {
            throw new StepFailure("no Deployment in " + ns + " has pods that the selector " + ServiceSelectors.text(target)
                    + " picks, so " + to + " has nothing to serve with; nothing was changed (traffic stays on " + from + ").");
        }
        List<String> ready = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        for (Deployment d : ds) {
            String name = d.getMetadata().getName();
            Deployments.Rollout r = deployments.rollout(ns, name);
            boolean ok = r.complete() && r.desired() > 0 && r.ready() >= r.desired();
            (ok ? ready : notReady).add(ns + "/" + name + ": " + r.progress());
        }
        if (!notReady.isEmpty()) {
            throw new StepFailure(to + " is not fully ready, so the selector was not switched (traffic stays on " + from + "): "
                    + String.join("; ", notReady) + ". Wait for its rollout, then request the switch again.");
        }
        return to + " is fully ready: " + String.join("; ", ready);
    }

    String switchTraffic() {
        written = true;
        save(); // before the selector changes: whoever puts things back must know it may have
        selectors.switchSelector(ns, serviceName, approved, target);
        return "service " + ns + "/" + serviceName + " now selects " + ServiceSelectors.text(target) + " (was "
                + ServiceSelectors.text(approved) + ")";
    }

    @Override
    protected String router() {
        return "the selector of service " + ns + "/" + serviceName;
    }

    @Override
    protected String undo() {
        Map<String, String> now = selectors.selector(ns, serviceName);
        if (ServiceSelectors.text(now).equals(ServiceSelectors.text(approved))) {
            return "the selector was still " + ServiceSelectors.text(approved);
        }
        selectors.switchSelector(ns, serviceName, target, approved);
        return "service " + ns + "/" + serviceName + " selects " + ServiceSelectors.text(approved) + " again";
    }

    @Override
    protected String byHand() {
        return "To put it back: `kubectl -n " + ns + " patch service " + serviceName + " -p '{\"spec\":{\"selector\":"
                + selectorJson() + "}}'`.";
    }

    private String selectorJson() {
        StringBuilder sb = new StringBuilder("{");
        approved.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(sb.length() > 1 ? "," : "")
                .append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"'));
        return sb.append('}').toString();
    }
}
