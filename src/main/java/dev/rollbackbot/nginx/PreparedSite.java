package dev.rollbackbot.nginx;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BlueGreenSettings;
import dev.rollbackbot.rollback.Prepared;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switched site file, written beside the live one while the approval waits ({@code <site>.next-inc-<n>}) and checked
 * with {@code nginx -t} through a copy of the main config that includes it instead of the live file. Nothing nginx
 * serves changes. Removed when the incident ends without running, and by the run once it has switched.
 */
final class PreparedSite {
    private static final Logger log = LoggerFactory.getLogger(PreparedSite.class);

    private final Nginx nginx;
    private final BlueGreenSettings settings;
    private final String next;
    private final Optional<String> testConf;

    PreparedSite(Nginx nginx, BlueGreenSettings settings, String incidentRef) {
        this.nginx = nginx;
        this.settings = settings;
        String suffix = ".next-" + incidentRef.toLowerCase(Locale.ROOT);
        this.next = settings.config() + suffix;
        this.testConf = settings.nginxConf().map(c -> c + suffix);
    }

    String path() {
        return next;
    }

    /** Writes and checks the switched file; a file changed since the card, or one nginx -t refuses, is a UserError for the card. */
    Prepared prepare(String approvedSha, String from, String to) {
        String site = settings.config();
        SiteFile now = new SiteFile(nginx.read(site));
        if (!now.sha256().equals(approvedSha)) {
            throw new UserError(site + " changed since the card was made (it now sends traffic to " + String.join(", ", now.upstreams())
                    + "); the switch would refuse to touch it. Request the switch again.");
        }
        nginx.write(next, now.switched(from, to).text());
        if (testConf.isEmpty()) {
            return new Prepared("wrote the switched " + site + " as " + next + " (proxy_pass to " + to + "); nginx -t runs at Approve"
                    + " (set `nginx-conf` to have it checked now)", "prepared=true");
        }
        String conf = settings.nginxConf().orElseThrow();
        String main = nginx.read(conf);
        if (!main.contains(site)) {
            return new Prepared("wrote the switched " + site + " as " + next + " (proxy_pass to " + to + "); nginx -t runs at Approve ("
                    + conf + " does not name " + site + ", so a copy including the new file cannot be made)", "prepared=true");
        }
        nginx.write(testConf.get(), main.replace(site, next));
        Nginx.Result test;
        try {
            test = nginx.testWith(testConf.get());
        } finally {
            removeQuietly(testConf.get());
        }
        if (!test.ok()) {
            removeQuietly(next);
            throw new UserError("nginx -t refuses the switched " + site + " (proxy_pass to " + to + "), so nothing was changed: "
                    + test.output());
        }
        return new Prepared("wrote the switched " + site + " as " + next + " (proxy_pass to " + to + "); nginx -t of it: ok",
                "prepared=true");
    }

    /** Removes what was prepared (files that are not there are fine). */
    void discard() {
        nginx.remove(next);
        testConf.ifPresent(nginx::remove);
    }

    void removeQuietly(String path) {
        try {
            nginx.remove(path);
        } catch (RuntimeException e) {
            log.warn("could not remove {}: {}", path, e.getMessage());
        }
    }
}
