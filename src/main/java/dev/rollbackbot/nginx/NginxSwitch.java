package dev.rollbackbot.nginx;

import dev.rollbackbot.config.BlueGreenSettings;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Switches a blue-green service's traffic by rewriting its nginx site file: the old file is kept beside it, the new one
 * is validated with {@code nginx -t} before nginx is reloaded, and a failed test, reload or health check puts the old
 * file back (reloading only when nginx had been reloaded with the new one).
 */
public final class NginxSwitch implements Recovery {
    private static final Duration PUT_BACK_WAIT = Duration.ofSeconds(30);

    private final Nginx nginx;
    private final HttpHealthCheck health;
    private final ServiceConfig service;
    private final BlueGreenSettings settings;
    private final String from;
    private final String to;
    private final String approvedSha;
    private final String keptPath;
    private final Consumer<String> onLive;
    private volatile String oldText;
    private volatile boolean written;
    private volatile boolean reloaded;
    private volatile boolean committed;
    private volatile boolean restored;
    private volatile CheckpointSink sink = CheckpointSink.NONE;

    public NginxSwitch(Nginx nginx, HttpHealthCheck health, ServiceConfig service, String from, String to, String approvedSha,
            String incidentRef, Consumer<String> onLive) {
        this.nginx = nginx;
        this.health = health;
        this.service = service;
        this.settings = service.blueGreen().orElseThrow();
        this.from = from;
        this.to = to;
        this.approvedSha = approvedSha;
        this.keptPath = settings.config() + ".before-" + incidentRef.toLowerCase(Locale.ROOT);
        this.onLive = onLive;
    }

    public String keptPath() {
        return keptPath;
    }

    /** Rewrites the site file from {@code from} to {@code to}, keeps the old one, runs nginx -t, and only then reloads. */
    public String switchTraffic() {
        String site = settings.config();
        String text = nginx.read(site);
        SiteFile now = new SiteFile(text);
        if (!now.sha256().equals(approvedSha)) {
            throw new StepFailure(site + " changed since the switch was approved (it now sends traffic to "
                    + String.join(", ", now.upstreams()) + "); nothing was changed. Request the switch again.");
        }
        SiteFile next = now.switched(from, to);
        oldText = text;
        nginx.write(keptPath, text);
        written = true;
        save(); // before the live file changes: whoever puts things back must know it may have
        nginx.write(site, next.text());
        Nginx.Result test = nginx.test();
        if (!test.ok()) {
            nginx.write(site, text);
            written = false;
            restored = true;
            saveQuietly();
            throw new StepFailure("nginx -t refused the switched config, so the old " + site + " was put back and nginx was not"
                    + " reloaded (traffic stays on " + from + "). nginx said: " + test.output());
        }
        reloaded = true;
        save();
        Nginx.Result reload = nginx.reload();
        if (!reload.ok()) {
            throw new StepFailure("nginx -s reload failed: " + reload.output());
        }
        return "wrote " + site + " with proxy_pass to " + to + " (the old file is kept as " + keptPath + "); nginx -t: ok; "
                + nginx.describe() + " reloaded";
    }

    /** The health URL (through nginx) must answer 200 within the ready timeout. */
    public String verify() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + to + " did not answer 200 at " + service.healthUrl() + " within "
                    + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: " + o.lastSeen() + ").");
        }
        committed = true;
        saveQuietly();
        onLive.accept(to);
        return "healthy: " + service.healthUrl() + " answered 200 through nginx after " + Durations.human(o.elapsed()) + "; live colour: " + to;
    }

    @Override
    public Optional<Step> afterFailure() {
        if (!written || committed || restored) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put back " + settings.config() + " (traffic to " + from + ")", true, this::putBack));
    }

    @Override
    public Optional<Step> afterInterruption() {
        return afterFailure();
    }

    private String putBack() throws InterruptedException {
        String text = oldText != null ? oldText : nginx.read(keptPath);
        nginx.write(settings.config(), text);
        Nginx.Result test = nginx.test();
        if (!test.ok()) {
            throw new StepFailure("the old " + settings.config() + " was put back but nginx -t refuses it too (" + test.output()
                    + "); nginx was not reloaded. A person must look now.");
        }
        if (reloaded) {
            Nginx.Result reload = nginx.reload();
            if (!reload.ok()) {
                throw new StepFailure("the old " + settings.config() + " was put back but nginx -s reload failed: " + reload.output());
            }
        }
        restored = true;
        saveQuietly();
        Duration wait = service.readyTimeout().compareTo(PUT_BACK_WAIT) < 0 ? service.readyTimeout() : PUT_BACK_WAIT;
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), wait);
        onLive.accept(from);
        return "live now: traffic goes to " + from + " again (" + settings.config() + " put back" + (reloaded ? ", nginx reloaded" : "")
                + "); " + service.healthUrl() + (o.value().isPresent() ? " answers 200" : " does not answer 200 either (last: "
                        + o.lastSeen() + "): " + service.name() + " needs a person now");
    }

    @Override
    public String whereThingsStand() {
        if (!written || committed || restored) {
            return "";
        }
        return settings.config() + " may send traffic to " + to + "; the file before the switch is kept as " + keptPath
                + ". To put it back: copy it over " + settings.config() + ", then `nginx -t` and `nginx -s reload`.";
    }

    @Override
    public String checkpoint() {
        return "written=" + written + ";reloaded=" + reloaded + ";committed=" + committed + ";restored=" + restored;
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    @Override
    public void resumeFrom(String checkpoint) {
        for (String kv : checkpoint.split(";")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2) {
                boolean v = Boolean.parseBoolean(p[1]);
                switch (p[0]) {
                    case "written" -> written = v;
                    case "reloaded" -> reloaded = v;
                    case "committed" -> committed = v;
                    case "restored" -> restored = v;
                    default -> {
                    }
                }
            }
        }
    }

    private void save() {
        sink.saveOrStop(checkpoint(), "the switch of " + service.name());
    }

    private void saveQuietly() {
        sink.saveQuietly(checkpoint(), "the switch of " + service.name());
    }
}
