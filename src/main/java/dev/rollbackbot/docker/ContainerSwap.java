package dev.rollbackbot.docker;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Replaces a service's container with one from another image. The replacement is created (not started) while the
 * approval waits, so a bad image or setting changes nothing; after Approve the old container is stopped and kept until
 * the new one answers its health URL, and put back if it never does.
 *
 * <p>After Approve only the switch remains: stop the old container, start the prepared one. The names follow once the
 * replacement runs (the old container becomes {@code <name>-before-inc-n}, the replacement takes the service's name),
 * so no rename waits between the stop and the start. Only a container that others may find by its name (on a
 * user-defined network) is renamed before the start instead, because podman does not move a running container's DNS
 * name when it is renamed.
 */
public final class ContainerSwap implements Recovery {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** The approved versions, with the image ids (pins) they resolved to when the plan was approved (when known). */
    public record Target(String fromImage, Optional<Pin> fromImageId, String toImage, Optional<Pin> toImageId) {
    }

    private final ContainerEngine engine;
    private final HttpHealthCheck health;
    private final ServiceConfig service;
    private final Target target;
    private final String keptName;
    private final String nextName;
    private final Runnable onHealthy;
    private final SwapState state = new SwapState();
    private final SwapPutBack putBack;
    private volatile CheckpointSink sink = CheckpointSink.NONE;
    /** The lookups {@link #readAhead()} began for the next {@link #stopCurrent()}. */
    private volatile SwapLookups ahead;

    public ContainerSwap(ContainerEngine engine, HttpHealthCheck health, ServiceConfig service, String incidentRef,
            Target target, Runnable onHealthy) {
        this.engine = engine;
        this.health = health;
        this.service = service;
        this.target = target;
        String suffix = incidentRef.toLowerCase(Locale.ROOT);
        this.keptName = service.container() + "-before-" + suffix;
        this.nextName = service.container() + "-next-" + suffix;
        this.onHealthy = onHealthy;
        this.putBack = new SwapPutBack(engine, health, service, target, keptName, nextName, state);
    }

    public String keptName() {
        return keptName;
    }

    /**
     * While the approval waits: checks what runs and the approved image, and creates (does not start) the replacement
     * with the running container's settings. Nothing that serves traffic changes.
     */
    public String prepare() {
        ContainerEngine.ContainerInfo c = checkApproved(engine.container(service.container()), engine.image(target.toImage()));
        return ensureReplacement(c, state.newId == null ? Optional.empty() : engine.container(state.newId));
    }

    /**
     * Begins the lookups {@link #stopCurrent()} checks, just before the runner records that it starts; they change
     * nothing, and {@link #stopCurrent()} checks what they found as if it had looked itself.
     */
    public void readAhead() {
        ahead = lookups();
    }

    private SwapLookups lookups() {
        return SwapLookups.start(engine, service.container(), target.toImage(), keptName, state.newId);
    }

    /**
     * Checks that the service still runs the approved version and that the approved image is still what it was, makes
     * sure the replacement is ready (the one prepared while the approval waited, or a new one if that is gone or stale),
     * then stops the old container (renaming it aside first only when others find it by its name).
     */
    public String stopCurrent() throws InterruptedException {
        SwapLookups read = ahead;
        ahead = null;
        if (read == null || !read.about(state.newId)) {
            read = lookups();
        }
        ContainerEngine.ContainerInfo c = checkApproved(read.current(), read.image());
        if (read.kept().isPresent()) {
            throw new StepFailure("a container named " + keptName + " already exists (left by an earlier run?); nothing was"
                    + " changed. Remove or rename it, then request again.");
        }
        String replacement = ensureReplacement(c, read.prepared());
        state.oldId = c.id();
        state.touched = true;
        try {
            save(); // before the old container is touched: whoever puts things back must know it may have been
        } catch (StepFailure lostLease) {
            state.touched = false; // refused: it was not touched, and will not be
            throw lostLease;
        }
        String stopped = replacement + ", then stopped " + service.container() + " (" + target.fromImage() + ", was " + c.status() + ")";
        if (!c.foundByName()) {
            engine.stop(state.oldId, STOP_TIMEOUT);
            return stopped + "; it is kept until " + target.toImage() + " answers healthy";
        }
        engine.rename(state.oldId, keptName);
        // the name is free now: the replacement takes it while the old container stops (a put-back removes the
        // replacement by its id first, whatever it is called by then)
        Future<Void> renamed = EngineCalls.start(() -> engine.rename(state.newId, service.container()));
        try {
            engine.stop(state.oldId, STOP_TIMEOUT);
        } finally {
            EngineCalls.await(renamed);
        }
        state.renamed = true;
        return stopped + " and kept it as " + keptName + "; the replacement took the name " + service.container() + " before"
                + " it starts (containers on " + String.join(", ", c.networks()) + " find it by that name)";
    }

    /** Removes the replacement prepared for a rollback that will not run (only one that never started). */
    public String discardPrepared() {
        List<String> removed = new ArrayList<>();
        for (String ref : state.newId == null ? List.of(nextName) : List.of(state.newId, nextName)) {
            Optional<ContainerEngine.ContainerInfo> p = engine.container(ref);
            if (p.isPresent() && !p.get().running() && !removed.contains(p.get().id())) {
                engine.remove(p.get().id());
                removed.add(p.get().id());
            }
        }
        state.newId = null;
        return removed.isEmpty() ? "nothing to remove" : "removed the prepared replacement " + nextName;
    }

    private ContainerEngine.ContainerInfo checkApproved(Optional<ContainerEngine.ContainerInfo> current,
            Optional<ContainerEngine.ImageInfo> targetImage) {
        String name = service.container();
        ContainerEngine.ContainerInfo c = current.orElseThrow(() -> new StepFailure(
                "container " + name + " of " + service.name() + " no longer exists on " + engine.describe()
                        + "; nothing was changed. Check `services." + service.name() + ".container` and the engine."));
        if (!c.image().equals(target.fromImage()) || target.fromImageId().map(id -> !id.value().equals(c.imageId())).orElse(false)) {
            throw new StepFailure(service.name() + " now runs " + c.image() + " (image " + shortId(c.imageId()) + "), not "
                    + target.fromImage() + " as planned and approved; nothing was changed. Request the rollback again"
                    + " to plan from what runs now.");
        }
        ContainerEngine.ImageInfo image = targetImage.orElseThrow(() -> new StepFailure(
                "image " + target.toImage() + " is no longer on the engine; nothing was changed."));
        if (target.toImageId().map(id -> !id.value().equals(image.id())).orElse(false)) {
            throw new StepFailure(target.toImage() + " now points at image " + shortId(image.id()) + ", not "
                    + target.toImageId().get().shortForm() + " as approved (the tag was moved); nothing was changed."
                    + " Request the rollback again to approve what the tag is now.");
        }
        return c;
    }

    /**
     * The replacement, created from the approved image id with the settings of {@code c}: the prepared one when it is
     * still right (not started, the approved image, copied from the container that runs now), else made again.
     * {@code p} is what the engine says of the prepared one (looked up by the caller, with its other checks).
     */
    private String ensureReplacement(ContainerEngine.ContainerInfo c, Optional<ContainerEngine.ContainerInfo> p) {
        Pin approved = target.toImageId().orElseThrow(() -> new StepFailure("the plan of " + service.name() + " has no pinned"
                + " image id for " + target.toImage() + ", so what runs could not be proven to be what was approved; nothing"
                + " was changed. Request the rollback again."));
        String again = "";
        if (state.newId != null) {
            String stale = p.isEmpty() ? "it was gone"
                    : p.get().running() ? "it was running"
                    : !approved.value().equals(p.get().imageId()) ? "it was made from another image"
                    : !c.id().equals(state.template) ? service.container() + " was replaced since it was prepared"
                    : null;
            if (stale == null) {
                return "used the replacement prepared while the approval waited (" + nextName + ")";
            }
            if (p.isPresent() && !p.get().running()) {
                engine.remove(state.newId); // by id: this incident's own replacement, never started
            }
            state.newId = null;
            again = " again (" + stale + ")";
        }
        Optional<ContainerEngine.ContainerInfo> leftover = engine.container(nextName);
        if (leftover.isPresent()) {
            if (leftover.get().running()) {
                throw new StepFailure("a container named " + nextName + " is running (left by an earlier run?); nothing was"
                        + " changed. Remove or rename it, then request again.");
            }
            engine.remove(leftover.get().id()); // this incident's own, never started: a preparation cut short
        }
        state.newId = engine.createLike(c.id(), nextName, target.toImage(), approved.value());
        state.template = c.id();
        save();
        return "prepared the replacement" + again + " from " + target.toImage() + " with the running container's settings";
    }

    /**
     * Starts the replacement; then, if the names were not swapped before the stop, the old container takes the kept
     * name and the replacement the service's. Nothing changed since the last checkpoint, and the runner checks the lease
     * before every step, so it starts at once.
     */
    public String startTarget() {
        engine.start(state.newId);
        state.started = true;
        save();
        String started = "started " + target.toImage() + " with the same settings";
        if (state.renamed) {
            return started + " as " + service.container();
        }
        engine.rename(state.oldId, keptName);
        engine.rename(state.newId, service.container());
        state.renamed = true;
        save();
        return started + "; it runs as " + service.container() + " now, and the old container is kept, stopped, as " + keptName;
    }

    /** Polls the health URL until 200 or the ready timeout; on success removes the kept container. */
    public String awaitHealthy() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + target.toImage() + " did not answer 200 at " + service.healthUrl()
                    + " within " + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: "
                    + o.lastSeen() + ").");
        }
        state.committed = true;
        save();
        onHealthy.run();
        String removed;
        try {
            engine.remove(state.oldId);
            removed = "removed the old container " + keptName;
        } catch (EngineException e) {
            removed = "could not remove the old container " + keptName + " (" + e.getMessage() + "); remove it by hand";
        }
        return "healthy: " + service.healthUrl() + " answered 200 after " + Durations.human(o.elapsed()) + " (" + o.attempts()
                + (o.attempts() == 1 ? " check" : " checks") + "); " + removed;
    }

    @Override
    public Optional<Step> afterFailure() {
        if (state.committed || state.restored) {
            return Optional.empty();
        }
        if (state.touched) {
            return Optional.of(Step.of("Put back " + service.container() + " on " + target.fromImage() + " (the old container)",
                    true, () -> {
                        String done = putBack.restoreOld();
                        state.restored = true;
                        save();
                        return done;
                    }));
        }
        if (state.newId != null) {
            return Optional.of(Step.of("Remove the unused replacement " + nextName, true, () -> {
                engine.remove(state.newId);
                return "removed " + nextName + "; " + service.container() + " was not touched";
            }));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Step> afterInterruption() {
        return state.started ? Optional.empty() : afterFailure();
    }

    @Override
    public String whereThingsStand() {
        return state.committed || state.restored || !state.touched || !state.started ? "" : putBack.whereThingsStand();
    }

    @Override
    public String checkpoint() {
        return state.checkpoint();
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    /** Saves where things stand; refuses to go on when the run has lost its lease (another replica owns it now). */
    private void save() {
        sink.saveOrStop(state.checkpoint(), "the rollback of " + service.name());
    }

    /** The replacement prepared while the approval waited: before the first step there is no kept container to look for. */
    @Override
    public void resumePrepared(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        if (SwapState.beyondPreparation(c)) {
            resumeFrom(checkpoint); // not a preparation's checkpoint after all
            return;
        }
        state.readPrepared(c);
    }

    /**
     * Restores what {@link #checkpoint()} wrote, on the replica that takes a silent run over, and completes it from the
     * engine when the last checkpoints did not reach the database.
     */
    @Override
    public void resumeFrom(String checkpoint) {
        state.read(Checkpoint.parse(checkpoint));
        putBack.completeFromEngine();
    }

    static String shortId(String id) {
        String s = id == null ? "?" : id.replaceFirst("^sha256:", "");
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
