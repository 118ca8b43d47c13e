package dev.rollbackbot.docker;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What the Docker procedures share: resolving the previous image (with the settings the replacement cannot be given,
 * as warnings for the card) and building the {@link ContainerSwap} of an approved incident.
 */
public final class DockerRollbacks {
    private final BotConfig config;
    private final ContainerEngine engine;
    private final HttpHealthCheck health;
    private final DockerVersions versions;

    public DockerRollbacks(BotConfig config, ContainerEngine engine, HttpHealthCheck health, DockerVersions versions) {
        this.config = config;
        this.engine = engine;
        this.health = health;
        this.versions = versions;
    }

    public ServiceConfig service(String name) {
        return config.service(name).orElseThrow();
    }

    Resolution resolve(RollbackRequest r) {
        ServiceConfig s = service(r.target());
        var chosen = versions.resolve(s, r.toVersion());
        List<String> warnings = new ArrayList<>();
        engine.uncopiedSettings(s.container()).forEach(w -> warnings.add("Not copied to the replacement: " + w));
        return new Resolution(chosen, warnings);
    }

    ContainerSwap swap(Incident inc) {
        ServiceConfig s = service(inc.target());
        return new ContainerSwap(engine, health, s, inc.ref(),
                new ContainerSwap.Target(from(inc), inc.fromPin(), to(inc), inc.toPin()), () -> recordQuietly(s));
    }

    /** While the approval waits: the replacement container, created but not started. */
    Optional<Prepared> prepare(Incident inc) {
        ContainerSwap swap = swap(inc);
        String detail = swap.prepare();
        return Optional.of(new Prepared(detail, swap.checkpoint()));
    }

    /** The incident will not run: remove the replacement prepared for it. */
    void discard(Incident inc) {
        ContainerSwap swap = swap(inc);
        swap.resumePrepared(inc.checkpoint().orElse(""));
        swap.discardPrepared();
    }

    Step verify(ServiceConfig s, ContainerSwap swap) {
        return Step.of("Verify " + s.name() + " answers 200 at " + s.healthUrl() + " (within " + Durations.format(s.readyTimeout())
                + ")", true, swap::awaitHealthy);
    }

    static String from(Incident inc) {
        return inc.fromVersion().orElseThrow();
    }

    static String to(Incident inc) {
        return inc.toVersion().orElseThrow();
    }

    /** Notes the version now running in the deployment history; a failure here must not fail the rollback. */
    private void recordQuietly(ServiceConfig s) {
        try {
            versions.current(s);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DockerRollbacks.class).warn("{}: could not record the new version: {}", s.name(), e.getMessage());
        }
    }
}
