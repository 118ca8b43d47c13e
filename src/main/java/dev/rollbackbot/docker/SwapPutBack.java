package dev.rollbackbot.docker;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * How a container swap is undone, and what a replica that takes a silent swap over finds of it. Works from the ids
 * in {@link SwapState}, never from whatever holds a name: the replacement is removed by its id, and the old container
 * is given its name back only when nothing else holds it. Safe to run twice (by a run that lost its lease and the
 * replica that took over).
 */
final class SwapPutBack {
    private static final Duration RESTORE_HEALTH_WAIT = Duration.ofSeconds(30);

    private final ContainerEngine engine;
    private final HttpHealthCheck health;
    private final ServiceConfig service;
    private final ContainerSwap.Target target;
    private final String keptName;
    private final String nextName;
    private final SwapState state;

    SwapPutBack(ContainerEngine engine, HttpHealthCheck health, ServiceConfig service, ContainerSwap.Target target,
            String keptName, String nextName, SwapState state) {
        this.engine = engine;
        this.health = health;
        this.service = service;
        this.target = target;
        this.keptName = keptName;
        this.nextName = nextName;
        this.state = state;
    }

    /** Puts the old container back under the service's name and waits for it to answer; returns what it did. */
    String restoreOld() throws InterruptedException {
        String name = service.container();
        String oldId = state.oldId;
        if (state.newId != null) {
            engine.remove(state.newId);
        }
        Optional<ContainerEngine.ContainerInfo> holder = engine.container(name);
        if (holder.isPresent() && !holder.get().id().equals(oldId)) {
            throw new StepFailure("a container this run did not create (" + ContainerSwap.shortId(holder.get().id()) + ", "
                    + holder.get().image() + ") now holds the name " + name + ", so the old container was not put back; it is"
                    + " kept, stopped, as " + keptName + ". Decide which one should run, then `docker rm -f " + name
                    + " && docker rename " + keptName + " " + name + " && docker start " + name + "` if it is the old one.");
        }
        if (holder.isEmpty()) {
            try {
                engine.rename(oldId, name);
            } catch (EngineException e) {
                // another replica putting it back at the same moment may have renamed it already
                if (!engine.container(name).map(c -> c.id().equals(oldId)).orElse(false)) {
                    throw e;
                }
            }
        }
        engine.start(oldId);
        Duration wait = service.readyTimeout().compareTo(RESTORE_HEALTH_WAIT) < 0 ? service.readyTimeout() : RESTORE_HEALTH_WAIT;
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), wait);
        if (o.value().isEmpty()) {
            throw new StepFailure(name + " runs " + target.fromImage() + " again, but " + service.healthUrl()
                    + " does not answer 200 either (last: " + o.lastSeen() + "): " + service.name() + " IS DOWN and needs a person now.");
        }
        return name + " runs " + target.fromImage() + " again and answers 200 at " + service.healthUrl();
    }

    /** For an interrupted run whose replacement started: where things stand and how to put the old one back by hand. */
    String whereThingsStand() {
        String name = service.container();
        String runs = name + " runs " + target.toImage() + " but it was not yet seen healthy; ";
        if (!state.renamed) {
            return runs + "it runs as the container " + nextName + ", and the old container is kept, stopped, under the name "
                    + name + ". If " + service.healthUrl() + " does not answer 200, put it back: `docker rm -f " + nextName
                    + " && docker start " + name + "`";
        }
        return runs + "the old container is kept, stopped, as " + keptName + ". If " + service.healthUrl() + " does not answer"
                + " 200, put it back: `docker rm -f " + name + " && docker rename " + keptName + " " + name + " && docker start "
                + name + "`";
    }

    /**
     * Completes a checkpoint that did not reach the database (it is saved before each change, but a database that does
     * not answer does not stop a swap half-way) from what only this run can have left on the engine.
     */
    void completeFromEngine() {
        if (state.oldId == null) {
            // set aside under the kept name (a swap renames before it starts the replacement, or once it started)
            engine.container(keptName).ifPresent(kept -> {
                state.oldId = kept.id();
                state.touched = true;
            });
        }
        if (state.oldId == null && state.template != null) {
            // stopped under its own name: the container the prepared replacement was copied from, no longer running
            engine.container(state.template).filter(t -> !t.running() && t.name().equals(service.container())).ifPresent(t -> {
                state.oldId = t.id();
                state.touched = true;
            });
        }
        if (state.newId == null && state.touched) {
            state.newId = lostReplacement().orElse(null);
        }
    }

    /**
     * The replacement of a run whose checkpoints did not reach the database: still under its own name (started or not),
     * or already under the service's name and then known by what only it can be there: a container that never started,
     * made from the approved image id, while the old one is kept aside.
     */
    private Optional<String> lostReplacement() {
        Optional<ContainerEngine.ContainerInfo> byOwnName = engine.container(nextName);
        if (byOwnName.isPresent()) {
            return byOwnName.map(ContainerEngine.ContainerInfo::id);
        }
        return engine.container(service.container())
                .filter(c -> !c.running() && !c.id().equals(state.oldId))
                .filter(c -> target.toImageId().map(pin -> pin.value().equals(c.imageId())).orElse(false))
                .map(ContainerEngine.ContainerInfo::id);
    }
}
