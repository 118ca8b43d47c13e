package dev.rollbackbot.nginx;

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
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Blue-green through nginx: the live colour is read from the site file's proxy_pass lines, the target is the other
 * colour; the switch rewrites the file (old one kept), runs nginx -t, reloads, and checks the health URL through nginx.
 */
public final class NginxBlueGreen implements Procedure {
    private final BotConfig config;
    private final Function<BlueGreenSettings, Nginx> nginxFor;
    private final HttpHealthCheck health;
    private final LiveColours live;
    private final Clock clock;

    public NginxBlueGreen(BotConfig config, Function<BlueGreenSettings, Nginx> nginxFor, HttpHealthCheck health, LiveColours live,
            Clock clock) {
        this.config = config;
        this.nginxFor = nginxFor;
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
        return TargetType.NGINX_UPSTREAM;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        ServiceConfig s = config.service(request.target()).orElseThrow();
        BlueGreenSettings b = s.blueGreen().orElseThrow();
        SiteFile site = new SiteFile(nginxFor.apply(b).read(b.config()));
        String from = site.liveColour(b.colours(), b.config());
        String to = b.colours().get(0).equals(from) ? b.colours().get(1) : b.colours().get(0);
        List<String> warnings = new ArrayList<>();
        Optional<LiveColours.Live> recorded = live.of(s.name());
        if (recorded.isPresent() && !recorded.get().colour().equals(from)) {
            warnings.add("The bot last recorded " + recorded.get().colour() + " as live, but " + b.config() + " sends traffic to "
                    + from + ": someone switched it by hand since.");
        }
        live.record(s.name(), from, clock.instant(), null);
        return new Resolution(new ChosenVersions(from, to, VersionChoice.THE_OTHER, Optional.of(new Pin(site.sha256())),
                Optional.of(new Pin(to))), warnings);
    }

    /** Writes the switched site file beside the live one and checks it with nginx -t, while the approval waits. */
    @Override
    public Optional<Prepared> prepare(Incident inc) {
        BlueGreenSettings b = config.service(inc.target()).orElseThrow().blueGreen().orElseThrow();
        return Optional.of(new PreparedSite(nginxFor.apply(b), b, inc.ref()).prepare(inc.fromPin().orElseThrow().value(),
                inc.fromVersion().orElseThrow(), inc.toVersion().orElseThrow()));
    }

    @Override
    public void discard(Incident inc) {
        BlueGreenSettings b = config.service(inc.target()).orElseThrow().blueGreen().orElseThrow();
        new PreparedSite(nginxFor.apply(b), b, inc.ref()).discard();
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        ServiceConfig s = config.service(inc.target()).orElseThrow();
        BlueGreenSettings b = s.blueGreen().orElseThrow();
        String from = inc.fromVersion().orElseThrow();
        String to = inc.toVersion().orElseThrow();
        NginxSwitch sw = new NginxSwitch(nginxFor.apply(b), health, s, from, to, inc.fromPin().orElseThrow().value(), inc.ref(),
                colour -> live.record(s.name(), colour, clock.instant(), inc.id()));
        return new RollbackPlan(List.of(
                Step.of("Switch traffic of " + s.name() + " from " + from + " to " + to + ": rewrite " + b.config()
                        + " (keep the old file), nginx -t, reload", true, sw::switchTraffic),
                Step.of("Verify " + s.name() + " answers 200 through nginx at " + s.healthUrl() + " (within "
                        + Durations.format(s.readyTimeout()) + ")", true, sw::verify)), sw);
    }
}
