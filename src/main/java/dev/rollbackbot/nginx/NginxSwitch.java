package dev.rollbackbot.nginx;

import dev.rollbackbot.config.BlueGreenSettings;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.procedures.TrafficSwitch;
import dev.rollbackbot.rollback.StepFailure;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Switches a blue-green service's traffic by rewriting its nginx site file: the old file is kept beside it, the new one
 * is validated with {@code nginx -t} before nginx is reloaded, and a failed test, reload or health check puts the old
 * file back (reloading only when nginx had been reloaded with the new one). Where nginx runs is the {@link Nginx}'s
 * business (the bot's host or a container); the health check and put-back are {@link TrafficSwitch}'s.
 */
public final class NginxSwitch extends TrafficSwitch {
    private final Nginx nginx;
    private final BlueGreenSettings settings;
    private final String approvedSha;
    private final String keptPath;
    private final PreparedSite prepared;
    private volatile String oldText;
    private volatile boolean reloaded;

    public NginxSwitch(Nginx nginx, HttpHealthCheck health, ServiceConfig service, String from, String to, String approvedSha,
            String incidentRef, Consumer<String> onLive) {
        super(health, service, from, to, onLive);
        this.nginx = nginx;
        this.settings = service.blueGreen().orElseThrow();
        this.approvedSha = approvedSha;
        this.keptPath = keptPath(settings.config(), incidentRef);
        this.prepared = new PreparedSite(nginx, settings, incidentRef);
    }

    /** Where the file before the switch is kept: {@code <site>.before-inc-<n>}. */
    static String keptPath(String site, String incidentRef) {
        return site + ".before-" + incidentRef.toLowerCase(Locale.ROOT);
    }

    public String keptPath() {
        return keptPath;
    }

    /** Rewrites the site file from {@code from} to {@code to}, keeps the old one, runs nginx -t, and only then reloads. */
    public String switchTraffic() {
        prepared.removeQuietly(prepared.path()); // checked while the approval waited; the switch writes from the live file again
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

    @Override
    protected String router() {
        return settings.config();
    }

    @Override
    protected String undo() {
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
        return settings.config() + " put back" + (reloaded ? ", " + nginx.describe() + " reloaded" : "");
    }

    @Override
    protected String byHand() {
        return "The file before the switch is kept as " + keptPath + ". To put it back: copy it over " + settings.config()
                + ", then `nginx -t` and `nginx -s reload`" + (settings.nginxContainer().map(c -> " (inside the container " + c + ")")
                        .orElse("") + ".");
    }

    @Override
    protected String extraCheckpoint() {
        return ";reloaded=" + reloaded;
    }

    @Override
    protected void resumeExtra(String key, boolean value) {
        if ("reloaded".equals(key)) {
            reloaded = value;
        }
    }
}
