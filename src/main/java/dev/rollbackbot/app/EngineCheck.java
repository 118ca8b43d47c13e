package dev.rollbackbot.app;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Platform;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.docker.DockerVersions;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up's checks of where the bot runs: the container engine (in the background) and this replica's name. */
final class EngineCheck {
    private static final Logger log = LoggerFactory.getLogger(RollbackBot.class);

    private EngineCheck() {
    }

    /** Pings the engine and logs what each Docker service runs, off the start-up path; a problem is logged loudly. */
    static void inBackground(DockerJavaEngine engine, BotConfig config, DockerVersions versions) {
        if (config.services().values().stream().noneMatch(s -> s.platform() == Platform.DOCKER)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                engine.ping();
                for (ServiceConfig s : config.services().values()) {
                    if (s.platform() == Platform.DOCKER && s.container() != null) { // a blue-green-only service has none
                        try {
                            log.info("{} runs {}", s.name(), versions.current(s).image());
                        } catch (RuntimeException e) {
                            log.warn("{}: {}", s.name(), e.getMessage());
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.warn("CONTAINER ENGINE NOT REACHABLE: {} Docker rollbacks will fail until it is.", e.getMessage());
            }
        }, "engine-check");
        t.setDaemon(true);
        t.start();
    }

    /** This replica's name in leases and timers: host, process id and a random part (two JVMs on one host differ). */
    static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
