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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs approved rollbacks, one thread each: every step is reported as it starts and ends, a failed critical step
 * triggers the plan's recovery, and the incident ends SUCCEEDED or FAILED. Recording is best-effort while a swap
 * is half-way (a database hiccup must not stop the bot from putting a service back). On shutdown, running steps
 * get a grace period; then each run is interrupted and records itself as interrupted.
 */
public final class RollbackRunner {
    private static final Logger log = LoggerFactory.getLogger(RollbackRunner.class);

    private final IncidentStore store;
    private final IncidentEvents events;
    private final Planner planner;
    private final Clock clock;
    private final String owner;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> new Thread(r, "rollback"));
    private final Map<Long, Thread> running = new ConcurrentHashMap<>();
    private final Map<Long, String> currentStep = new ConcurrentHashMap<>();
    private final Map<Long, String> lastDetail = new ConcurrentHashMap<>();
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
        if (!stopping) {
            try {
                pool.execute(() -> run(incident));
                return;
            } catch (RejectedExecutionException e) {
                log.warn("{} was approved while the bot was stopping", incident.ref());
            }
        }
        record(incident.id(), "the bot was shutting down when it was approved; nothing ran. Request it again.");
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
        try {
            plan = planner.plan(incident);
            publish(TimelineEvent.of(id, start, EventType.STARTED, null,
                    incident.fromVersion().map(f -> f + " -> " + incident.toVersion().orElse("?")).orElse(null)));
            List<Step> steps = plan.steps();
            String firstFailure = null;
            boolean aborted = false;
            for (int i = 0; i < steps.size() && !aborted; i++) {
                Optional<String> failure = runStep(id, i + 1, steps.get(i));
                if (failure.isPresent()) {
                    firstFailure = firstFailure == null ? failure.get() : firstFailure;
                    aborted = steps.get(i).critical();
                }
            }
            String recovered = aborted ? recover(id, plan.recovery().afterFailure(), steps.size() + 1) : "";
            Instant end = clock.instant();
            if (firstFailure == null) {
                finish(id, IncidentState.SUCCEEDED, EventType.SUCCEEDED, end, "done in " + Durations.human(Duration.between(start, end)));
            } else {
                finish(id, IncidentState.FAILED, EventType.FAILED, end, firstFailure + recovered);
            }
        } catch (InterruptedException e) {
            String step = currentStep.getOrDefault(id, "before its first step");
            String recovered = "";
            String stands = "";
            if (plan != null) {
                Thread.interrupted();
                recovered = recoverQuietly(id, plan.recovery().afterInterruption(), plan.steps().size() + 1);
                stands = plan.recovery().whereThingsStand();
            }
            record(id, "the bot was stopped during step " + step + "." + recovered
                    + (stands.isEmpty() ? " Check the service before running the rollback again." : " " + stands));
        } catch (RuntimeException e) {
            log.error("{}: the run failed unexpectedly", incident.ref(), e);
            String recovered = plan == null ? "" : recoverQuietly(id, plan.recovery().afterFailure(), plan.steps().size() + 1);
            finish(id, IncidentState.FAILED, EventType.FAILED, clock.instant(), "the bot hit an unexpected error ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); see its log for " + incident.ref() + "." + recovered);
        } finally {
            running.remove(id);
            currentStep.remove(id);
        }
    }

    /** Runs a recovery step, if there is one; returns what it did, to be added to the incident's outcome. */
    private String recover(long id, Optional<Step> recovery, int no) throws InterruptedException {
        if (recovery.isEmpty()) {
            return "";
        }
        Optional<String> failure = runStep(id, no, recovery.get());
        return failure.map(f -> " Recovery failed too: " + f).orElse(" Recovery: " + lastDetail.getOrDefault(id, "done") + ".");
    }

    private String recoverQuietly(long id, Optional<Step> recovery, int no) {
        try {
            return recover(id, recovery, no);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
            return " Recovery was interrupted too.";
        } catch (RuntimeException e) {
            log.error("INC-{}: recovery failed", id, e);
            return " Recovery failed: " + e.getMessage();
        }
    }

    /** Runs one step; returns what went wrong, if anything. */
    private Optional<String> runStep(long id, int no, Step step) throws InterruptedException {
        Instant t0 = clock.instant();
        currentStep.put(id, no + " (" + step.title() + ")");
        boolean stillOurs = true;
        try {
            stillOurs = store.currentStep(id, owner, step.title(), t0);
        } catch (RuntimeException e) {
            log.warn("INC-{}: could not record step {} as current: {}", id, no, e.toString());
        }
        if (!stillOurs) {
            log.error("INC-{} is no longer running on this replica (marked interrupted elsewhere); stopping before step {}", id, no);
            throw new InterruptedException("the incident was taken over");
        }
        publish(TimelineEvent.step(id, t0, EventType.STEP_STARTED, no, step.title(), null, null));
        String detail;
        boolean ok;
        try {
            detail = step.run();
            ok = true;
        } catch (InterruptedException e) {
            Instant t1 = clock.instant();
            publish(TimelineEvent.step(id, t1, EventType.STEP_FAILED, no, step.title(), Duration.between(t0, t1),
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
        lastDetail.put(id, detail);
        publish(TimelineEvent.step(id, t1, ok ? EventType.STEP_SUCCEEDED : EventType.STEP_FAILED, no, step.title(),
                Duration.between(t0, t1), detail));
        return ok ? Optional.empty() : Optional.of("step " + no + " (" + step.title() + ") failed: " + detail);
    }

    /** Records an event; a failure to record is logged, never allowed to stop a run half-way. */
    private void publish(TimelineEvent e) {
        try {
            events.publish(e);
        } catch (RuntimeException ex) {
            log.error("INC-{}: could not record {}: {}", e.incidentId(), e.type(), ex.toString());
        }
    }

    private void finish(long id, IncidentState state, EventType type, Instant at, String detail) {
        lastDetail.remove(id);
        try {
            if (store.finish(id, IncidentState.RUNNING, state, at, detail)) {
                publish(TimelineEvent.of(id, at, type, null, detail));
            }
        } catch (RuntimeException e) {
            log.error("INC-{}: could not record the outcome {} ({}): {}", id, state, detail, e.toString());
        }
    }

    private void record(long id, String detail) {
        finish(id, IncidentState.INTERRUPTED, EventType.INTERRUPTED, clock.instant(), detail);
    }

    /**
     * Stops taking runs and lets running ones go on for up to {@code grace}. Then each is interrupted: it puts back
     * what it can (the plan's recovery) and records itself as interrupted. A run that does not even manage that
     * within 10 s is recorded as interrupted here.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        pool.shutdown();
        if (await(grace)) {
            return;
        }
        log.warn("{} rollback(s) still running after the grace period of {}; interrupting them", running.size(), grace);
        running.values().forEach(Thread::interrupt);
        if (await(Duration.ofSeconds(10))) {
            return;
        }
        for (Long id : running.keySet()) {
            record(id, "the bot was stopped during step " + currentStep.getOrDefault(id, "?")
                    + " and the step did not stop in time. Check the service before running the rollback again.");
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
