package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.Platform;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The services whose {@code depends-on} names a datastore: locked with it, stopped while its data is swapped, started
 * again and checked healthy afterwards. Docker services are stopped and started through the container engine.
 */
public final class Dependents {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private final BotConfig config;
    private final ContainerEngine engine;
    private final HttpHealthCheck health;

    public Dependents(BotConfig config, ContainerEngine engine, HttpHealthCheck health) {
        this.config = config;
        this.engine = engine;
        this.health = health;
    }

    /** The services that depend on {@code datastore}, by name (configuration only). */
    public List<String> of(String datastore) {
        return config.services().values().stream().filter(s -> s.dependsOn().contains(datastore)).map(ServiceConfig::name).sorted().toList();
    }

    /** Refuses, before approval, a dependent the bot cannot stop and start. */
    public void checkCanStop(String datastore) {
        for (String name : of(datastore)) {
            ServiceConfig s = config.service(name).orElseThrow();
            if (s.platform() != Platform.DOCKER || s.container() == null) {
                throw new UserError(name + " depends on " + datastore + " but is not a Docker service with a container, and stopping"
                        + " it during a restore is not available yet in this version of the bot; nothing was planned. Stop it by hand"
                        + " and restore " + datastore + " by hand, or remove it from depends-on.");
            }
        }
    }

    /** Stops the running ones among {@code names}; returns those it stopped (to be started again). */
    public List<String> stopRunning(List<String> names, java.util.function.Consumer<String> beforeStopping) {
        List<String> stopped = new ArrayList<>();
        for (String name : names) {
            String container = config.service(name).orElseThrow().container();
            boolean running = engine.container(container).map(ContainerEngine.ContainerInfo::running).orElse(false);
            if (running) {
                beforeStopping.accept(name);
                engine.stop(container, STOP_TIMEOUT);
                stopped.add(name);
            }
        }
        return stopped;
    }

    public void start(String name) {
        engine.start(config.service(name).orElseThrow().container());
    }

    /** Waits for the service's health URL within its ready timeout; returns what was seen, or throws. */
    public String awaitHealthy(String name) throws InterruptedException {
        ServiceConfig s = config.service(name).orElseThrow();
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(s.healthUrl(), s.readyTimeout());
        if (o.value().isEmpty()) {
            throw new UserError(name + " did not answer 200 at " + s.healthUrl() + " within " + Durations.format(s.readyTimeout())
                    + " (last: " + o.lastSeen() + ")");
        }
        return name + " healthy after " + Durations.human(o.elapsed());
    }

    public String container(String name) {
        return config.service(name).orElseThrow().container();
    }
}
