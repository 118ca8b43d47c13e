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
 * Replaces a service's container with one from another image. The replacement is created (not started) before
 * the old container is touched, so a bad image or setting changes nothing; the old container is then renamed and
 * stopped, kept until the new one answers its health URL, and put back if it never does.
 */
public final class ContainerSwap implements Recovery {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESTORE_HEALTH_WAIT = Duration.ofSeconds(30);

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
    private volatile String oldId;
    private volatile String newId;
    /** The container whose settings the replacement was copied from. */
    private volatile String template;
    private volatile boolean oldTouched;
    private volatile boolean newStarted;
    private volatile boolean committed;
    private volatile boolean restored;
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
        return ensureReplacement(c, newId == null ? Optional.empty() : engine.container(newId));
    }

    /**
     * Begins the lookups {@link #stopCurrent()} checks, just before the runner records that it starts; they change
     * nothing, and {@link #stopCurrent()} checks what they found as if it had looked itself.
     */
    public void readAhead() {
        ahead = lookups();
    }

    private SwapLookups lookups() {
        return SwapLookups.start(engine, service.container(), target.toImage(), keptName, newId);
    }

    /**
     * Checks that the service still runs the approved version and that the approved image is still what it was, makes
     * sure the replacement is ready (the one prepared while the approval waited, or a new one if that is gone or stale),
     * then keeps the old container aside and stops it; the replacement takes the service's name while it stops.
     */
    public String stopCurrent() throws InterruptedException {
        SwapLookups read = ahead;
        ahead = null;
        if (read == null || !read.about(newId)) {
            read = lookups();
        }
        ContainerEngine.ContainerInfo c = checkApproved(read.current(), read.image());
        if (read.kept().isPresent()) {
            throw new StepFailure("a container named " + keptName + " already exists (left by an earlier run?); nothing was"
                    + " changed. Remove or rename it, then request again.");
        }
        String replacement = ensureReplacement(c, read.prepared());
        oldId = c.id();
        oldTouched = true;
        try {
            save(); // before the old container is touched: whoever puts things back must know it may have been
        } catch (StepFailure lostLease) {
            oldTouched = false; // refused: it was not touched, and will not be
            throw lostLease;
        }
        engine.rename(oldId, keptName);
        // the name is free now: the replacement takes it while the old container stops (a put-back removes the
        // replacement by its id first, whatever it is called by then)
        Future<Void> renamed = EngineCalls.start(() -> engine.rename(newId, service.container()));
        try {
            engine.stop(oldId, STOP_TIMEOUT);
        } finally {
            EngineCalls.await(renamed);
        }
        return replacement + ", then stopped " + service.container() + " (" + target.fromImage() + ", was " + c.status()
                + ") and kept it as " + keptName + "; the replacement is named " + service.container() + " now";
    }

    /** Removes the replacement prepared for a rollback that will not run (only one that never started). */
    public String discardPrepared() {
        List<String> removed = new ArrayList<>();
        for (String ref : newId == null ? List.of(nextName) : List.of(newId, nextName)) {
            Optional<ContainerEngine.ContainerInfo> p = engine.container(ref);
            if (p.isPresent() && !p.get().running() && !removed.contains(p.get().id())) {
                engine.remove(p.get().id());
                removed.add(p.get().id());
            }
        }
        newId = null;
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
        if (newId != null) {
            String stale = p.isEmpty() ? "it was gone"
                    : p.get().running() ? "it was running"
                    : !approved.value().equals(p.get().imageId()) ? "it was made from another image"
                    : !c.id().equals(template) ? service.container() + " was replaced since it was prepared"
                    : null;
            if (stale == null) {
                return "used the replacement prepared while the approval waited (" + nextName + ")";
            }
            if (p.isPresent() && !p.get().running()) {
                engine.remove(newId); // by id: this incident's own replacement, never started
            }
            newId = null;
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
        newId = engine.createLike(c.id(), nextName, target.toImage(), approved.value());
        template = c.id();
        save();
        return "prepared the replacement" + again + " from " + target.toImage() + " with the running container's settings";
    }

    /**
     * Starts the replacement, which took the service's container name when the old one was set aside. Nothing changed
     * since the last checkpoint, and the runner checks the lease before every step, so it starts at once.
     */
    public String startTarget() {
        engine.start(newId);
        newStarted = true;
        save();
        return "started " + service.container() + " on " + target.toImage();
    }

    /** Polls the health URL until 200 or the ready timeout; on success removes the kept container. */
    public String awaitHealthy() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + target.toImage() + " did not answer 200 at " + service.healthUrl()
                    + " within " + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: "
                    + o.lastSeen() + ").");
        }
        committed = true;
        save();
        onHealthy.run();
        String removed;
        try {
            engine.remove(oldId);
            removed = "removed the old container " + keptName;
        } catch (EngineException e) {
            removed = "could not remove the old container " + keptName + " (" + e.getMessage() + "); remove it by hand";
        }
        return "healthy: " + service.healthUrl() + " answered 200 after " + Durations.human(o.elapsed()) + " (" + o.attempts()
                + (o.attempts() == 1 ? " check" : " checks") + "); " + removed;
    }

    @Override
    public Optional<Step> afterFailure() {
        if (committed || restored) {
            return Optional.empty();
        }
        if (oldTouched) {
            return Optional.of(Step.of("Put back " + service.container() + " on " + target.fromImage() + " (the old container)",
                    true, this::restoreOld));
        }
        if (newId != null) {
            return Optional.of(Step.of("Remove the unused replacement " + nextName, true, () -> {
                engine.remove(newId);
                return "removed " + nextName + "; " + service.container() + " was not touched";
            }));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Step> afterInterruption() {
        return newStarted ? Optional.empty() : afterFailure();
    }

    @Override
    public String whereThingsStand() {
        if (committed || restored || !oldTouched) {
            return "";
        }
        if (newStarted) {
            return service.container() + " runs " + target.toImage() + " but it was not yet seen healthy; the old container is"
                    + " kept, stopped, as " + keptName + ". If " + service.healthUrl() + " does not answer 200, put it back: "
                    + "`docker rm -f " + service.container() + " && docker rename " + keptName + " " + service.container()
                    + " && docker start " + service.container() + "`";
        }
        return "";
    }

    /**
     * Puts the old container back under the service's name. Removes only the container this run created (by its id),
     * never whatever holds the name; safe to run twice (by a run that lost its lease and the replica that took over).
     */
    private String restoreOld() throws InterruptedException {
        String name = service.container();
        if (newId != null) {
            engine.remove(newId);
        }
        Optional<ContainerEngine.ContainerInfo> holder = engine.container(name);
        if (holder.isPresent() && !holder.get().id().equals(oldId)) {
            throw new StepFailure("a container this run did not create (" + shortId(holder.get().id()) + ", " + holder.get().image()
                    + ") now holds the name " + name + ", so the old container was not put back; it is kept, stopped, as "
                    + keptName + ". Decide which one should run, then `docker rm -f " + name + " && docker rename " + keptName
                    + " " + name + " && docker start " + name + "` if it is the old one.");
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
        restored = true;
        save();
        return name + " runs " + target.fromImage() + " again and answers 200 at " + service.healthUrl();
    }

    @Override
    public String checkpoint() {
        return "old=" + nz(oldId) + ";new=" + nz(newId) + ";template=" + nz(template) + ";touched=" + oldTouched + ";started=" + newStarted
                + ";committed=" + committed + ";restored=" + restored;
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    /** Saves where things stand; refuses to go on when the run has lost its lease (another replica owns it now). */
    private void save() {
        sink.saveOrStop(checkpoint(), "the rollback of " + service.name());
    }

    /** The replacement prepared while the approval waited: before the first step there is no kept container to look for. */
    @Override
    public void resumePrepared(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        if (c.text("old").isPresent() || c.flag("touched", false) || c.flag("started", false) || c.flag("committed", false)
                || c.flag("restored", false)) {
            resumeFrom(checkpoint); // not a preparation's checkpoint after all
            return;
        }
        newId = c.text("new").orElse(newId);
        template = c.text("template").orElse(template);
    }

    /**
     * Restores what {@link #checkpoint()} wrote, on the replica that takes a silent run over. The kept container's name
     * is fixed, so a run that stopped between renaming the old container and saving its checkpoint is still found.
     */
    @Override
    public void resumeFrom(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        oldId = c.has("old") ? c.text("old").orElse(null) : oldId;
        newId = c.has("new") ? c.text("new").orElse(null) : newId;
        template = c.has("template") ? c.text("template").orElse(null) : template;
        oldTouched = c.flag("touched", oldTouched);
        newStarted = c.flag("started", newStarted);
        committed = c.flag("committed", committed);
        restored = c.flag("restored", restored);
        if (oldId == null) {
            engine.container(keptName).ifPresent(kept -> {
                oldId = kept.id();
                oldTouched = true;
            });
        }
        if (newId == null && oldTouched) {
            newId = lostReplacement().orElse(null);
        }
    }

    /**
     * The replacement of a run whose checkpoints did not reach the database: still under its own name, or already under
     * the service's name (it takes it while the old container stops) and then known by what only it can be there: a
     * container that never started, made from the approved image id, while the old one is kept aside.
     */
    private Optional<String> lostReplacement() {
        Optional<ContainerEngine.ContainerInfo> byOwnName = engine.container(nextName);
        if (byOwnName.isPresent()) {
            return byOwnName.map(ContainerEngine.ContainerInfo::id);
        }
        return engine.container(service.container())
                .filter(c -> !c.running() && !c.id().equals(oldId))
                .filter(c -> target.toImageId().map(pin -> pin.value().equals(c.imageId())).orElse(false))
                .map(ContainerEngine.ContainerInfo::id);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String shortId(String id) {
        String s = id == null ? "?" : id.replaceFirst("^sha256:", "");
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
