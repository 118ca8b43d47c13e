package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.RunLeases;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run's steps are run and recorded: each step fenced by the lease (when asked), reported as it starts and ends,
 * its failure turned into words; progress lines, the outcome, and the lease checks. Recording is best-effort: a
 * database hiccup is logged, never allowed to stop a run half-way.
 *
 * <p>Events are recorded in the order they were published, on a thread of their own, so a step never waits for its
 * "started" line to reach the database and the listeners before it acts (after Approve, that wait was the largest
 * part of the bot's own time before the engine's first call). What fences a change is not an event but the lease:
 * the step's lease check and the procedure's checkpoint stay on the run's thread. The outcome is recorded only after
 * every earlier event of the run, on the run's thread, as before.
 */
final class StepRecorder {
    private static final Logger log = LoggerFactory.getLogger(RollbackRunner.class);
    /** How long a run's end waits for its earlier events to be recorded (a database that hangs must not hold it). */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);

    private final RunLeases leases;
    private final IncidentEvents events;
    private final Clock clock;
    private final ExecutorService records = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "run-records");
        t.setDaemon(true);
        return t;
    });

    StepRecorder(RunLeases leases, IncidentEvents events, Clock clock) {
        this.leases = leases;
        this.events = events;
        this.clock = clock;
    }

    /** True unless the database says the lease is gone (a database that does not answer is no proof of that). */
    boolean holds(ActiveRun run) {
        try {
            return leases.holds(run.lease);
        } catch (RuntimeException e) {
            log.warn("INC-{}: could not check the lease: {}", run.lease.incidentId(), e.toString());
            return true;
        }
    }

    /** Runs one step; returns what went wrong, if anything. A fenced step first checks (and records) that the lease holds. */
    Optional<String> runStep(ActiveRun run, int no, Step step, boolean fenced) throws InterruptedException, LeaseLost {
        long id = run.lease.incidentId();
        Instant t0 = clock.instant();
        run.step = no + " (" + step.title() + ")";
        run.stepNo = no;
        run.stepTitle = step.title();
        if (fenced) {
            boolean held = true;
            try {
                held = leases.currentStep(run.lease, step.title());
            } catch (RuntimeException e) {
                log.warn("INC-{}: could not record step {} as current: {}", id, no, e.toString());
            }
            if (!held) {
                throw new LeaseLost();
            }
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
        Instant t1 = clock.instant();
        run.lastDetail = detail;
        publish(TimelineEvent.step(id, t1, ok ? EventType.STEP_SUCCEEDED : EventType.STEP_FAILED, no, step.title(),
                Duration.between(t0, t1), detail));
        return ok ? Optional.empty() : Optional.of("step " + no + " (" + step.title() + ") failed: " + detail);
    }

    /** Begins the reads a step will need; a failure here is the step's to meet when it reads again. */
    static void readAhead(Step step, long id) {
        try {
            step.readAhead();
        } catch (RuntimeException e) {
            log.warn("INC-{}: reading ahead for '{}' failed: {}", id, step.title(), e.toString());
        }
    }

    /** A recovery that reports progress has each line recorded as progress of the step running then. */
    void progressOf(Recovery recovery, ActiveRun run) {
        if (recovery instanceof StepProgress p) {
            p.progressTo(line -> {
                if (run.stepTitle != null) {
                    publish(TimelineEvent.step(run.lease.incidentId(), clock.instant(), EventType.STEP_PROGRESS, run.stepNo,
                            run.stepTitle, null, line));
                }
            });
        }
    }

    /** Records an event after those published before it, off the caller's thread. */
    void publish(TimelineEvent e) {
        try {
            records.execute(() -> publishNow(e));
        } catch (RejectedExecutionException stopped) {
            publishNow(e);
        }
    }

    /** Records an event now; a failure to record is logged, never allowed to stop a run half-way. */
    private void publishNow(TimelineEvent e) {
        try {
            events.publish(e);
        } catch (RuntimeException ex) {
            log.error("INC-{}: could not record {}: {}", e.incidentId(), e.type(), ex.toString());
        }
    }

    /** Waits (bounded) until every event published so far has been recorded. */
    void drain() {
        Future<?> done;
        try {
            done = records.submit(() -> { });
        } catch (RejectedExecutionException stopped) {
            return;
        }
        try {
            done.get(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("the run's events were not all recorded within {}; its outcome is recorded anyway", DRAIN_WAIT);
        } catch (ExecutionException cannotHappen) {
            log.warn("recording the run's events failed: {}", cannotHappen.toString());
        }
    }

    /** Records what is still queued (bounded), then takes no more off the callers' threads. */
    void close() {
        records.shutdown();
        try {
            if (!records.awaitTermination(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("some events of rollbacks were not recorded before the bot stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void finish(ActiveRun run, IncidentState state, EventType type, String detail) {
        drain(); // the outcome comes after every line of the run, and a run's end means all of it is recorded
        long id = run.lease.incidentId();
        Instant at = clock.instant();
        try {
            if (leases.finish(run.lease, state, at, detail)) {
                publishNow(TimelineEvent.of(id, at, type, null, detail));
            } else {
                log.warn("INC-{}: not recording {} ({}): another replica owns it now", id, state, detail);
            }
        } catch (RuntimeException e) {
            log.error("INC-{}: could not record the outcome {} ({}): {}", id, state, detail, e.toString());
        }
    }
}
