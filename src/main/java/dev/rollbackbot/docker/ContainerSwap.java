package dev.rollbackbot.docker;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Replaces a service's container with one from another image, keeping the old container (renamed, stopped)
 * until the new one answers its health URL; {@link #recovery()} puts the old one back if it never does.
 */
public final class ContainerSwap {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ContainerEngine engine;
    private final HttpHealthCheck health;
    private final ServiceConfig service;
    private final String fromImage;
    private final String toImage;
    private final String keptName;
    private final Runnable onHealthy;
    private volatile boolean oldStopped;
    private volatile boolean newCreated;
    private volatile boolean committed;

    public ContainerSwap(ContainerEngine engine, HttpHealthCheck health, ServiceConfig service, String incidentRef,
            String fromImage, String toImage, Runnable onHealthy) {
        this.engine = engine;
        this.health = health;
        this.service = service;
        this.fromImage = fromImage;
        this.toImage = toImage;
        this.keptName = service.container() + "-before-" + incidentRef.toLowerCase(java.util.Locale.ROOT);
        this.onHealthy = onHealthy;
    }

    public String keptName() {
        return keptName;
    }

    /** Stops the running container and renames it aside, after checking it still runs the planned version. */
    public String stopCurrent() {
        String name = service.container();
        ContainerEngine.ContainerInfo c = engine.container(name).orElseThrow(() -> new StepFailure(
                "container " + name + " of " + service.name() + " no longer exists on " + engine.describe()
                        + "; nothing was changed. Check `services." + service.name() + ".container` and the engine."));
        if (!c.image().equals(fromImage)) {
            throw new StepFailure(service.name() + " now runs " + c.image() + ", not " + fromImage
                    + " as planned and approved; nothing was changed. Request the rollback again to plan from what runs now.");
        }
        if (engine.container(keptName).isPresent()) {
            throw new StepFailure("a container named " + keptName + " already exists (left by an earlier run?); nothing was changed."
                    + " Remove or rename it, then request again.");
        }
        engine.rename(c.id(), keptName);
        oldStopped = true;
        engine.stop(c.id(), STOP_TIMEOUT);
        return "stopped " + name + " (" + fromImage + ", was " + c.status() + ") and kept it as " + keptName;
    }

    /** Creates the service's container from the target image with the old one's settings, and starts it. */
    public String startTarget() {
        String id = engine.createLike(keptName, service.container(), toImage);
        newCreated = true;
        engine.start(id);
        return "started " + service.container() + " on " + toImage + " with the settings of the old container";
    }

    /** Polls the health URL until 200 or the ready timeout; on success removes the kept container. */
    public String awaitHealthy() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + toImage + " did not answer 200 at " + service.healthUrl() + " within "
                    + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: " + o.lastSeen() + ").");
        }
        committed = true;
        onHealthy.run();
        String removed;
        try {
            engine.remove(keptName);
            removed = "removed the old container " + keptName;
        } catch (EngineException e) {
            removed = "could not remove the old container " + keptName + " (" + e.getMessage() + "); remove it by hand";
        }
        return "healthy: " + service.healthUrl() + " answered 200 after " + Durations.human(o.elapsed()) + " (" + o.attempts()
                + (o.attempts() == 1 ? " check" : " checks") + "); " + removed;
    }

    /** The step that puts the old container back, when one was stopped and the new one never proved healthy. */
    public Optional<Step> recovery() {
        if (!oldStopped || committed) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put back " + service.container() + " on " + fromImage + " (the old container)", true, this::restoreOld));
    }

    private String restoreOld() throws InterruptedException {
        if (newCreated) {
            engine.remove(service.container());
        }
        engine.rename(keptName, service.container());
        engine.start(service.container());
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(),
                service.readyTimeout().compareTo(Duration.ofSeconds(30)) < 0 ? service.readyTimeout() : Duration.ofSeconds(30));
        return service.container() + " runs " + fromImage + " again; "
                + (o.value().isPresent() ? "it answers 200 at " + service.healthUrl()
                        : "its health URL still does not answer 200 (last: " + o.lastSeen() + "): the service needs a person now");
    }
}
