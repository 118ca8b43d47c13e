package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs approved rollbacks, one thread each: every step is reported as it starts and ends, a failed critical step
 * triggers the plan's recovery, and the incident ends SUCCEEDED or FAILED. On shutdown, running steps get a grace
 * period; whatever is still running then is recorded as interrupted.
 */
public final class RollbackRunner {
    private static final Logger log = LoggerFactory.getLogger(RollbackRunner.class);

    private final IncidentStore store;
    private final IncidentEvents events;
    private final Planner planner;
    private final Clock clock;
    private final String owner;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rollback");
        t.setDaemon(false);
        return t;
    });
    private final Map<Long, Thread> running = new ConcurrentHashMap<>();
    private final Map<Long, String> currentStep = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public RollbackRunner(IncidentStore store, IncidentEvents events, Planner planner, Clock clock, String owner) {
        this.store = store;
        this.events = events;
        this.planner = planner;
        this.clock = clock;
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /** Runs an incident that this replica moved to RUNNING. */
    public void start(Incident incident) {
        if (stopping) {
            store.finish(incident.id(), IncidentState.RUNNING, IncidentState.INTERRUPTED, clock.instant(),
                    "the bot was shutting down when it was approved; request it again");
            events.publish(TimelineEvent.of(incident.id(), clock.instant(), EventType.INTERRUPTED, null,
                    "the bot was shutting down when it was approved; nothing ran. Request it again."));
            return;
        }
        pool.execute(() -> run(incident));
    }

    public int runningCount() {
        return running.size();
    }

    /** Keeps this replica's running incidents marked alive, so no other replica takes them for dead. */
    public void heartbeat() {
        if (!running.isEmpty()) {
            store.heartbeat(owner, clock.instant());
        }
    }

    private void run(Incident incident) {
        long id = incident.id();
        running.put(id, Thread.currentThread());
        Thread.currentThread().setName("rollback-" + incident.ref());
        Instant start = clock.instant();
        RollbackPlan plan = null;
        int stepsRun = 0;
        try {
            plan = planner.plan(incident);
            events.publish(TimelineEvent.of(id, start, EventType.STARTED, null,
                    incident.fromVersion().map(f -> f + " -> " + incident.toVersion().orElse("?")).orElse(null)));
            List<Step> steps = plan.steps();
            String firstFailure = null;
            boolean aborted = false;
            for (int i = 0; i < steps.size(); i++) {
                stepsRun = i + 1;
                Optional<String> failure = runStep(id, i + 1, steps.get(i));
                if (failure.isPresent()) {
                    firstFailure = firstFailure == null ? failure.get() : firstFailure;
                    if (steps.get(i).critical()) {
                        aborted = true;
                        break;
                    }
                }
            }
            if (aborted) {
                recover(id, plan, steps.size() + 1);
            }
            Instant end = clock.instant();
            if (firstFailure == null) {
                finish(id, IncidentState.SUCCEEDED, EventType.SUCCEEDED, end, "done in " + Durations.human(Duration.between(start, end)));
            } else {
                finish(id, IncidentState.FAILED, EventType.FAILED, end, firstFailure);
            }
        } catch (InterruptedException e) {
            String step = currentStep.getOrDefault(id, "before its first step");
            boolean undone = false;
            if (plan != null) {
                try {
                    undone = recover(id, plan, plan.steps().size() + 1);
                } catch (InterruptedException again) {
                    log.warn("{}: recovery after the interruption was interrupted too", incident.ref());
                }
            }
            record(id, "the bot was stopped during step " + step + (undone ? "; what that step changed was put back"
                    : "") + ". Check the service by hand before running the rollback again.");
        } catch (RuntimeException e) {
            log.error("{}: the run failed unexpectedly after {} steps", incident.ref(), stepsRun, e);
            finish(id, IncidentState.FAILED, EventType.FAILED, clock.instant(),
                    "the bot hit an unexpected error (" + e.getClass().getSimpleName() + "); see its log for " + incident.ref());
        } finally {
            running.remove(id);
            currentStep.remove(id);
        }
    }

    /** Runs the plan's recovery step, if what already ran needs undoing; true if it ran and succeeded. */
    private boolean recover(long id, RollbackPlan plan, int no) throws InterruptedException {
        Thread.interrupted();
        Optional<Step> recovery = plan.recovery().get();
        return recovery.isPresent() && runStep(id, no, recovery.get()).isEmpty();
    }

    /** Runs one step; returns what went wrong, if anything. */
    private Optional<String> runStep(long id, int no, Step step) throws InterruptedException {
        Instant t0 = clock.instant();
        currentStep.put(id, no + " (" + step.title() + ")");
        store.currentStep(id, step.title(), t0);
        events.publish(TimelineEvent.step(id, t0, EventType.STEP_STARTED, no, step.title(), null, null));
        String detail;
        boolean ok;
        try {
            detail = step.run();
            ok = true;
        } catch (InterruptedException e) {
            Instant t1 = clock.instant();
            events.publish(TimelineEvent.step(id, t1, EventType.STEP_FAILED, no, step.title(), Duration.between(t0, t1),
                    "interrupted: the bot is stopping"));
            throw e;
        } catch (UserError e) {
            detail = e.getMessage();
            ok = false;
        } catch (Exception e) {
            log.error("INC-{}: step '{}' failed unexpectedly", id, step.title(), e);
            detail = "unexpected error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            ok = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Instant t1 = clock.instant();
        events.publish(TimelineEvent.step(id, t1, ok ? EventType.STEP_SUCCEEDED : EventType.STEP_FAILED, no, step.title(),
                Duration.between(t0, t1), detail));
        return ok ? Optional.empty() : Optional.of("step " + no + " (" + step.title() + ") failed: " + detail);
    }

    private void finish(long id, IncidentState state, EventType type, Instant at, String detail) {
        if (store.finish(id, IncidentState.RUNNING, state, at, detail)) {
            events.publish(TimelineEvent.of(id, at, type, null, detail));
        }
    }

    private void record(long id, String detail) {
        finish(id, IncidentState.INTERRUPTED, EventType.INTERRUPTED, clock.instant(), detail);
    }

    /**
     * Stops taking runs and lets running ones go on for up to {@code grace}. Then each is interrupted: it puts back
     * what its current step changed (the plan's recovery) and records itself as interrupted. A run that does not
     * even manage that is recorded as interrupted here.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        pool.shutdown();
        if (await(grace)) {
            return;
        }
        log.warn("{} rollback(s) still running after the grace period of {}; interrupting them", running.size(), grace);
        running.values().forEach(Thread::interrupt);
        if (await(Duration.ofSeconds(15))) {
            return;
        }
        for (Long id : running.keySet()) {
            record(id, "the bot was stopped during step " + currentStep.getOrDefault(id, "?")
                    + " and the step did not stop in time. Check the service by hand before running the rollback again.");
        }
        pool.shutdownNow();
    }

    private boolean await(Duration d) {
        try {
            return pool.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
