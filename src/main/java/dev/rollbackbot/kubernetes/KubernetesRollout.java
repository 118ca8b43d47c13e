package dev.rollbackbot.kubernetes;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.rollback.StepProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rolls a Deployment back to an approved revision and waits for the rollout, the way {@code kubectl rollout undo} and
 * {@code kubectl rollout status} do, with a way back: the switch is one update of the pod template (cheap and
 * reversible: the old ReplicaSet stays), the rollout is judged complete only when every replica is updated and
 * available, and a rollout that does not complete in time, or a service that does not answer its health URL, is put
 * back to the template that ran before (Argo's abort), with the pods' reasons in the record.
 */
public final class KubernetesRollout implements Recovery, StepProgress {
    private static final Duration PUT_BACK_WAIT = Duration.ofSeconds(30);

    /** The approved revisions, with the pod-template-hashes (pins) they had when planned. */
    public record Target(String from, Pin fromHash, String to, Pin toHash) {
    }

    private final Deployments deployments;
    private final HttpHealthCheck health;
    private final Poll poll;
    private final Clock clock;
    private final ServiceConfig service;
    private final Target target;
    private final Runnable onHealthy;
    private volatile boolean touched;
    private volatile boolean committed;
    private volatile boolean restored;
    private volatile CheckpointSink sink = CheckpointSink.NONE;
    private volatile Consumer<String> progress = line -> { };

    public KubernetesRollout(Deployments deployments, HttpHealthCheck health, Clock clock, ServiceConfig service, Target target,
            Runnable onHealthy) {
        this.deployments = deployments;
        this.health = health;
        this.clock = clock;
        this.poll = Poll.standard(clock);
        this.service = service;
        this.target = target;
        this.onHealthy = onHealthy;
    }

    /** Each change of a rollout's ready count while the bot waits for it, e.g. {@code 2/3 pods ready (...)}. */
    @Override
    public void progressTo(Consumer<String> sink) {
        this.progress = sink;
    }

    private String deployment() {
        return service.namespace() + "/" + service.deployment();
    }

    /** Puts the approved revision's pod template into the Deployment, if it still runs what was approved. */
    public String rollBack() {
        Deployments.Revision to = revision(target.toHash(), target.to());
        touched = true;
        try {
            save(); // before the change: whoever puts things back must know it may have been made
            deployments.rollTo(service.namespace(), service.deployment(), target.fromHash().value(), to);
        } catch (RuntimeException e) {
            touched = false; // refused before anything changed
            saveQuietly();
            throw e;
        }
        return "deployment " + deployment() + " now asks for the pod template of " + to.describe() + " (pod-template-hash "
                + to.hash() + "); " + target.from() + " keeps serving until the new pods are ready";
    }

    /** Waits against the ready timeout for the rollout to complete, noting each change of progress. */
    public String awaitRollout() throws InterruptedException {
        return awaitComplete(service.readyTimeout(), target.to());
    }

    /** The health URL must answer 200; then the rollback is done and the revision recorded. */
    public String verify() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + target.to() + " did not answer 200 at " + service.healthUrl() + " within "
                    + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: " + o.lastSeen() + ").");
        }
        committed = true;
        saveQuietly();
        onHealthy.run();
        return "healthy: " + service.healthUrl() + " answered 200 after " + Durations.human(o.elapsed());
    }

    private String awaitComplete(Duration within, String what) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        String[] told = {null};
        long start = clock.millis();
        Poll.Outcome<Deployments.Rollout> o = poll.until(within, () -> {
            Deployments.Rollout r = deployments.rollout(service.namespace(), service.deployment());
            String p = r.ready() + "/" + r.desired() + " pods ready";
            if (seen.isEmpty() || !seen.get(seen.size() - 1).startsWith(p)) {
                seen.add(p + " at " + Durations.human(Duration.ofMillis(clock.millis() - start)));
            }
            if (!r.complete() && !r.progress().equals(told[0])) {
                told[0] = r.progress();
                progress.accept(r.progress() + " (" + what + ")");
            }
            return r.complete() ? Poll.Attempt.done(r) : Poll.Attempt.notYet(r.progress());
        });
        if (o.value().isPresent()) {
            return "rollout of " + what + " complete: " + o.value().get().progress() + " after " + Durations.human(o.elapsed())
                    + " (" + String.join(", ", seen) + ")";
        }
        List<String> problems = deployments.podProblems(service.namespace(), service.deployment());
        throw new StepFailure("the rollout of " + what + " on deployment " + deployment() + " did not complete within "
                + Durations.format(within) + ": " + o.lastSeen() + (problems.isEmpty() ? "; no pod reports a reason"
                        : "; pods: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))))
                + ".");
    }

    private Deployments.Revision revision(Pin hash, String described) {
        return deployments.revisions(service.namespace(), service.deployment()).stream()
                .filter(r -> r.hash().equals(hash.value())).findFirst()
                .orElseThrow(() -> new StepFailure("deployment " + deployment() + " no longer has the ReplicaSet of " + described
                        + " (pod-template-hash " + hash.value() + "); nothing was changed. Request the rollback again."));
    }

    @Override
    public Optional<Step> afterFailure() {
        if (!touched || committed || restored) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put back deployment " + deployment() + " to " + target.from() + " (what ran before)", true,
                this::putBack));
    }

    @Override
    public Optional<Step> afterInterruption() {
        return afterFailure();
    }

    /** Puts the template that ran before back (only over the template this run set) and waits for it. */
    private String putBack() throws InterruptedException {
        Deployments.Revision from = revision(target.fromHash(), target.from());
        Optional<Deployments.Revision> now = deployments.current(service.namespace(), service.deployment());
        if (now.isPresent() && now.get().hash().equals(from.hash())) {
            restored = true; // already put back (by the replica that took over, or never changed)
        } else {
            deployments.rollTo(service.namespace(), service.deployment(), target.toHash().value(), from);
        }
        Duration wait = service.readyTimeout().compareTo(PUT_BACK_WAIT) < 0 ? service.readyTimeout() : PUT_BACK_WAIT;
        String done = awaitComplete(wait, target.from() + " (put back)");
        restored = true;
        saveQuietly();
        return "live now: deployment " + deployment() + " runs " + target.from() + " again; " + done;
    }

    @Override
    public String whereThingsStand() {
        if (!touched || committed || restored) {
            return "";
        }
        return "deployment " + deployment() + " may be rolling out " + target.to() + "; it ran " + target.from()
                + " (pod-template-hash " + target.fromHash().value() + ") before. To put it back: `kubectl -n " + service.namespace()
                + " rollout history deployment/" + service.deployment() + "`, then `kubectl -n " + service.namespace()
                + " rollout undo deployment/" + service.deployment() + " --to-revision=<the revision with that hash>`";
    }

    @Override
    public String checkpoint() {
        return "touched=" + touched + ";committed=" + committed + ";restored=" + restored;
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    @Override
    public void resumeFrom(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        touched = c.flag("touched", touched);
        committed = c.flag("committed", committed);
        restored = c.flag("restored", restored);
    }

    private void save() {
        sink.saveOrStop(checkpoint(), "the rollback of " + service.name());
    }

    private void saveQuietly() {
        sink.saveQuietly(checkpoint(), "the rollback of " + service.name());
    }
}
