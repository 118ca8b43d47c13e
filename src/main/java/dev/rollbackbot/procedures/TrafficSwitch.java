package dev.rollbackbot.procedures;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What every blue-green switch shares, whatever carries the traffic (an nginx site file, a Kubernetes Service's
 * selector): the health check after the switch, the put-back when it fails or the run is interrupted (also on the
 * replica that takes over a silent run, from the checkpoint), the checkpoint itself, and the live colour recorded once
 * the switch is proven or undone. A subclass makes the change and undoes it.
 */
public abstract class TrafficSwitch implements Recovery {
    private static final Duration PUT_BACK_WAIT = Duration.ofSeconds(30);

    protected final HttpHealthCheck health;
    protected final ServiceConfig service;
    protected final String from;
    protected final String to;
    private final Consumer<String> onLive;
    /** The live routing may have changed (set, and saved, before it is changed). */
    protected volatile boolean written;
    private volatile boolean committed;
    protected volatile boolean restored;
    private volatile CheckpointSink sink = CheckpointSink.NONE;

    protected TrafficSwitch(HttpHealthCheck health, ServiceConfig service, String from, String to, Consumer<String> onLive) {
        this.health = health;
        this.service = service;
        this.from = from;
        this.to = to;
        this.onLive = onLive;
    }

    /** {@code /etc/nginx/sites-available/web}, {@code service prod/web}: what carries the traffic, for messages. */
    protected abstract String router();

    /** Puts the routing to {@link #from} back; says what it did. Throws a StepFailure when it cannot. */
    protected abstract String undo() throws InterruptedException;

    /** How a person puts the routing back by hand. */
    protected abstract String byHand();

    /** Extra checkpoint entries of the subclass ({@code ;key=value} each), and their restore. */
    protected String extraCheckpoint() {
        return "";
    }

    protected void resumeExtra(String key, boolean value) {
    }

    /** The health URL must answer 200 within the ready timeout; then the switch is final and the colour recorded. */
    public final String verify() throws InterruptedException {
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), service.readyTimeout());
        if (o.value().isEmpty()) {
            throw new StepFailure(service.name() + " on " + to + " did not answer 200 at " + service.healthUrl() + " within "
                    + Durations.format(service.readyTimeout()) + " (" + o.attempts() + " checks; last: " + o.lastSeen() + ").");
        }
        committed = true;
        saveQuietly();
        onLive.accept(to);
        return "healthy: " + service.healthUrl() + " answered 200 after " + Durations.human(o.elapsed()) + "; live colour: " + to;
    }

    @Override
    public final Optional<Step> afterFailure() {
        if (!written || committed || restored) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put back " + router() + " (traffic to " + from + ")", true, this::putBack));
    }

    @Override
    public final Optional<Step> afterInterruption() {
        return afterFailure();
    }

    private String putBack() throws InterruptedException {
        String done = undo();
        restored = true;
        saveQuietly();
        Duration wait = service.readyTimeout().compareTo(PUT_BACK_WAIT) < 0 ? service.readyTimeout() : PUT_BACK_WAIT;
        Poll.Outcome<HttpHealthCheck.Probe> o = health.awaitHealthy(service.healthUrl(), wait);
        onLive.accept(from);
        return "live now: traffic goes to " + from + " again (" + done + "); " + service.healthUrl() + (o.value().isPresent()
                ? " answers 200" : " does not answer 200 either (last: " + o.lastSeen() + "): " + service.name() + " needs a person now");
    }

    @Override
    public final String whereThingsStand() {
        if (!written || committed || restored) {
            return "";
        }
        return router() + " may send traffic to " + to + ". " + byHand();
    }

    @Override
    public final String checkpoint() {
        return "written=" + written + extraCheckpoint() + ";committed=" + committed + ";restored=" + restored;
    }

    @Override
    public final void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    @Override
    public final void resumeFrom(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        written = c.flag("written", written);
        committed = c.flag("committed", committed);
        restored = c.flag("restored", restored);
        c.all().forEach((k, v) -> {
            if (!k.equals("written") && !k.equals("committed") && !k.equals("restored")) {
                resumeExtra(k, Boolean.parseBoolean(v));
            }
        });
    }

    /** Saves the checkpoint before a change; a refused save (the lease was lost) stops the run before the change. */
    protected final void save() {
        sink.saveOrStop(checkpoint(), "the switch of " + service.name());
    }

    protected final void saveQuietly() {
        sink.saveQuietly(checkpoint(), "the switch of " + service.name());
    }
}
