package dev.rollbackbot.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.TestNginx;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nginx switch's safety promises on a real nginx of the host: a lost lease stops it before the live file changes, and
 * a replica that takes over a silent run puts the old file back from the checkpoint (it never saw the old text itself).
 */
class NginxSwitchIT {
    private static ColourServer blue;
    private static ColourServer green;
    private TestNginx web;
    private final List<String> checkpoints = new ArrayList<>();
    private final List<String> colours = new ArrayList<>();

    @BeforeAll
    static void colours() throws Exception {
        TestNginx.require();
        blue = new ColourServer("blue");
        green = new ColourServer("green");
    }

    @AfterAll
    static void stopColours() {
        blue.close();
        green.close();
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, Integer> ups = new LinkedHashMap<>();
        ups.put("blue", blue.port());
        ups.put("green", green.port());
        web = TestNginx.start(ups, "blue");
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private NginxSwitch sw() {
        ServiceConfig s = ConfigLoader.parse("bg.yml", """
                slack: {channel: C0OPS}
                services:
                  web:
                    platform: docker
                    health-url: %s
                    ready-timeout: 2s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s}
                """.formatted(web.url("/health"), web.site(), web.conf())).service("web").orElseThrow();
        String sha = new SiteFile(uncheckedRead()).sha256();
        NginxSwitch sw = new NginxSwitch(new HostNginx(TestNginx.BINARY, Optional.of(web.conf().toString())),
                new HttpHealthCheck(Clock.systemUTC()), s, "blue", "green", sha, "INC-7", colours::add);
        sw.checkpointTo(checkpoints::add);
        return sw;
    }

    private String uncheckedRead() {
        try {
            return Files.readString(web.site());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(Optional<Step> step) throws Exception {
        return step.orElseThrow(() -> new AssertionError("no recovery step")).run();
    }

    @Test
    void aLostLeaseStopsTheSwitchBeforeTheLiveFileChanges() throws Exception {
        String before = Files.readString(web.site());
        NginxSwitch sw = sw();
        AtomicBoolean held = new AtomicBoolean(false);
        sw.checkpointTo(cp -> held.get()); // another replica owns the run: the first save is refused

        assertThatThrownBy(sw::switchTraffic).isInstanceOf(StepFailure.class).hasMessageContaining("lost its lease");

        assertThat(Files.readString(web.site())).isEqualTo(before);
        assertThat(ColourServer.get(web.url("/"))).isEqualTo("200 blue");
    }

    @Test
    void aReplicaThatTakesOverPutsTheOldFileBackFromTheCheckpoint() throws Exception {
        NginxSwitch first = sw();
        String sha = new SiteFile(Files.readString(web.site())).sha256();
        first.switchTraffic(); // ...and then this replica goes silent before the health check
        assertThat(ColourServer.get(web.url("/"))).isEqualTo("200 green");
        String saved = checkpoints.get(checkpoints.size() - 1);

        ServiceConfig s = ConfigLoader.parse("bg.yml", """
                slack: {channel: C0OPS}
                services:
                  web:
                    platform: docker
                    health-url: %s
                    ready-timeout: 2s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s}
                """.formatted(web.url("/health"), web.site(), web.conf())).service("web").orElseThrow();
        NginxSwitch taker = new NginxSwitch(new HostNginx(TestNginx.BINARY, Optional.of(web.conf().toString())),
                new HttpHealthCheck(Clock.systemUTC()), s, "blue", "green", sha, "INC-7", colours::add);
        taker.resumeFrom(saved);
        assertThat(taker.whereThingsStand()).contains("may send traffic to green", web.site() + ".before-inc-7");
        assertThat(run(taker.afterFailure())).contains("live now: traffic goes to blue again", "reloaded");

        assertThat(ColourServer.get(web.url("/"))).isEqualTo("200 blue");
        assertThat(Files.readString(web.site())).contains("proxy_pass http://blue;");
        assertThat(colours).containsExactly("blue");
    }

    @Test
    void aCheckpointTakenBeforeTheSwitchHasNothingToPutBack() throws Exception {
        NginxSwitch taker = sw();
        taker.resumeFrom("written=false;reloaded=false;committed=false;restored=false");
        assertThat(taker.afterFailure()).isEmpty();
        assertThat(taker.whereThingsStand()).isEmpty();
    }
}
