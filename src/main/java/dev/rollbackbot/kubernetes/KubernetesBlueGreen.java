package dev.rollbackbot.kubernetes;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BlueGreenSettings;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.LiveColours;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Blue-green by a Kubernetes Service's selector: the live colour is the selector's {@code selector-key} label, the
 * target the other colour, whose Deployments (those whose pods the switched selector picks) must be fully ready before
 * the selector is patched; a failed health check puts the selector back. The pin is the selector as approved.
 */
public final class KubernetesBlueGreen implements Procedure {
    private final BotConfig config;
    private final ServiceSelectors selectors;
    private final Deployments deployments;
    private final HttpHealthCheck health;
    private final LiveColours live;
    private final Clock clock;

    public KubernetesBlueGreen(BotConfig config, ServiceSelectors selectors, Deployments deployments, HttpHealthCheck health,
            LiveColours live, Clock clock) {
        this.config = config;
        this.selectors = selectors;
        this.deployments = deployments;
        this.health = health;
        this.live = live;
        this.clock = clock;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.BLUE_GREEN;
    }

    @Override
    public TargetType type() {
        return TargetType.KUBERNETES_SERVICE;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        ServiceConfig s = config.service(request.target()).orElseThrow();
        BlueGreenSettings b = s.blueGreen().orElseThrow();
        String svc = b.service().orElseThrow();
        Map<String, String> selector = selectors.selector(s.namespace(), svc);
        String from = selector.get(b.selectorKey());
        if (from == null || !b.colours().contains(from)) {
            throw new UserError("The selector of service " + s.namespace() + "/" + svc + " is `" + ServiceSelectors.text(selector)
                    + "`: its `" + b.selectorKey() + "` label names " + (from == null ? "no colour" : from) + ", not one of "
                    + String.join(", ", b.colours()) + ", so the live colour is not known and nothing was planned.");
        }
        String to = b.colours().get(0).equals(from) ? b.colours().get(1) : b.colours().get(0);
        Map<String, String> target = ServiceSelectors.with(selector, b.selectorKey(), to);
        List<Deployment> ds = selectors.deploymentsSelected(s.namespace(), target);
        if (ds.isEmpty()) {
            throw new UserError("No Deployment in " + s.namespace() + " has pods that `" + ServiceSelectors.text(target) + "` would pick,"
                    + " so switching service " + svc + " to " + to + " would send its traffic nowhere; nothing was planned.");
        }
        List<String> warnings = new ArrayList<>();
        for (Deployment d : ds) {
            Deployments.Rollout r = deployments.rollout(s.namespace(), d.getMetadata().getName());
            if (!r.complete() || r.ready() < r.desired()) {
                warnings.add(to + " is not fully ready now (" + s.namespace() + "/" + d.getMetadata().getName() + ": " + r.progress()
                        + "); the switch will refuse to run until it is.");
            }
        }
        Optional<LiveColours.Live> recorded = live.of(s.name());
        if (recorded.isPresent() && !recorded.get().colour().equals(from)) {
            warnings.add("The bot last recorded " + recorded.get().colour() + " as live, but service " + svc + " selects " + from
                    + ": someone switched it by hand since.");
        }
        live.record(s.name(), from, clock.instant(), null);
        return new Resolution(new ChosenVersions(from, to, VersionChoice.THE_OTHER, Optional.of(new Pin(ServiceSelectors.text(selector))),
                Optional.of(new Pin(to))), warnings);
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = config.service(inc.target()).orElseThrow();
        BlueGreenSettings b = s.blueGreen().orElseThrow();
        String svc = b.service().orElseThrow();
        String from = inc.fromVersion().orElseThrow();
        String to = inc.toVersion().orElseThrow();
        SelectorSwitch sw = new SelectorSwitch(selectors, deployments, health, s, svc, b.selectorKey(), from, to,
                parse(inc.fromPin().orElseThrow().value()), colour -> live.record(s.name(), colour, clock.instant(), inc.id()));
        return new RollbackPlan(List.of(
                Step.of("Check that every Deployment of " + to + " in " + s.namespace() + " is fully ready", true, sw::checkTarget),
                Step.of("Switch traffic of " + s.name() + " from " + from + " to " + to + ": set " + b.selectorKey() + "=" + to
                        + " in the selector of service " + s.namespace() + "/" + svc, true, sw::switchTraffic),
                Step.of("Verify " + s.name() + " answers 200 at " + s.healthUrl() + " (within " + Durations.format(s.readyTimeout()) + ")",
                        true, sw::verify)), sw);
    }

    /** The pin's {@code app=web,colour=blue} back into a selector. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new TreeMap<>();
        Arrays.stream(text.split(",")).filter(kv -> kv.contains("=")).forEach(kv -> out.put(kv.substring(0, kv.indexOf('=')),
                kv.substring(kv.indexOf('=') + 1)));
        return out;
    }
}
