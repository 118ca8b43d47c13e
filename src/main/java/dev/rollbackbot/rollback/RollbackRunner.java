package dev.rollbackbot.rollback;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Lease;
import dev.rollbackbot.incident.RunLeases;
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
 * Runs approved rollbacks, one thread each, under a {@link Lease}: every step is reported as it starts and ends, a
 * failed critical step triggers the plan's recovery, and the incident ends SUCCEEDED or FAILED. Recording is
 * best-effort while a swap is half-way (a database hiccup must not stop the bot from putting a service back).
 *
 * <p>A run that finds its lease lost (another replica took it over after this one went silent) still puts back what
 * it changed, then leaves the record to the new owner. A run taken over from a silent replica is recovered here from
 * its checkpoint before its targets are freed. On shutdown, running steps get a grace period; then each run is
 * interrupted, puts back what it can within {@link #PUT_BACK_BUDGET}, and records itself as interrupted.
 */
public final class RollbackRunner {
    /** How long shutdown waits, after the grace period, for interrupted runs to put things back. */
    public static final Duration PUT_BACK_BUDGET = Duration.ofSeconds(40);
    private static final Logger log = LoggerFactory.getLogger(RollbackRunner.class);

    private final IncidentStore store;
    private final RunLeases leases;
    private final Planner planner;
    private final Preparations preparations;
    private final Clock clock;
    private final String owner;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> new Thread(r, "rollback"));
    private final Map<Long, ActiveRun> running = new ConcurrentHashMap<>();
    private final StepRecorder recorder;
    private final EarlyPlans early;
    private volatile boolean stopping;

    public RollbackRunner(IncidentStore store, RunLeases leases, IncidentEvents events, Planner planner, Preparations preparations,
            Clock clock, String owner) {
        this.store = store;
        this.leases = leases;
        this.planner = planner;
        this.preparations = preparations;
        this.clock = clock;
        this.owner = owner;
        this.recorder = new StepRecorder(leases, events, clock);
        this.early = new EarlyPlans(planner);
    }

    /** At an Approve click that may start {@code pending}: plans it and begins its first reads (see {@link EarlyPlans}). */
    public void planAhead(Incident pending) {
        early.begin(pending);
    }

    /** The click did not start it: what {@link #planAhead} began is dropped. */
    public void dropPlanAhead(long id) {
        early.drop(id);
    }

    public String owner() {
        return owner;
    }

    /** Runs an incident that this replica moved to RUNNING under {@code lease}. */
    public void start(Incident incident, Lease lease) {
        submit(incident, lease, () -> run(incident, running.get(incident.id())),
                "the bot was shutting down when it was approved; nothing ran. Request it again.");
    }

    /** Puts back what a run of a silent replica changed, then ends it; {@code lease} was just taken over. */
    public void takeOver(Incident incident, Lease lease) {
        submit(incident, lease, () -> recoverTakenOver(incident, running.get(incident.id())),
                "the bot running it stopped answering during " + incident.currentStep().orElse("its first step")
                        + ", and the replica that took it over was shutting down. Check the service before running it again.");
    }

    private void submit(Incident incident, Lease lease, Runnable work, String ifStopping) {
        ActiveRun run = new ActiveRun(lease);
        if (!stopping) {
            running.put(incident.id(), run);
            try {
                pool.execute(() -> {
                    run.thread = Thread.currentThread();
                    Thread.currentThread().setName("rollback-" + incident.ref());
                    try {
                        work.run();
                    } finally {
                        running.remove(incident.id(), run);
                    }
                });
                return;
            } catch (RejectedExecutionException e) {
                running.remove(incident.id(), run);
                log.warn("{} arrived while the bot was stopping", incident.ref());
            }
        }
        early.drop(incident.id());
        recorder.finish(run, IncidentState.INTERRUPTED, EventType.INTERRUPTED, ifStopping);
    }

    /** Keeps this replica's runs marked alive, in the database's clock, so no other replica takes them for silent. */
    public void heartbeat() {
        for (ActiveRun r : running.values()) {
            if (!leases.heartbeat(r.lease)) {
                log.warn("INC-{}: the heartbeat was refused: another replica owns it now", r.lease.incidentId());
            }
        }
    }

    private void run(Incident approved, ActiveRun run) {
        long id = approved.id();
        Instant start = clock.instant();
        RollbackPlan plan = null;
        Incident incident = approved;
        try {
            incident = preparations.awaitSettled(approved);
            Optional<RollbackPlan> planned = early.take(incident); // begun at the click, its first reads under way
            plan = planned.isPresent() ? planned.get() : planner.plan(incident);
            if (planned.isEmpty()) {
                incident.checkpoint().ifPresent(plan.recovery()::resumePrepared); // what was prepared while the approval waited
            }
            plan.recovery().checkpointTo(cp -> run.unfenced || leases.checkpoint(run.lease, cp));
            recorder.progressOf(plan.recovery(), run);
            List<Step> steps = plan.steps();
            if (!steps.isEmpty() && planned.isEmpty()) {
                StepRecorder.readAhead(steps.get(0), id); // while the start is recorded
            }
            Incident settled = incident;
            recorder.publish(TimelineEvent.of(id, start, EventType.STARTED, null,
                    settled.fromVersion().map(f -> f + " -> " + settled.toVersion().orElse("?")).orElse(null)));
            String firstFailure = null;
            boolean aborted = false;
            for (int i = 0; i < steps.size() && !aborted; i++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopping before step " + (i + 1));
                }
                if (i > 0) {
                    StepRecorder.readAhead(steps.get(i), id);
                }
                Optional<String> failure = recorder.runStep(run, i + 1, steps.get(i), true);
                if (failure.isPresent()) {
                    firstFailure = firstFailure == null ? failure.get() : firstFailure;
                    aborted = steps.get(i).critical();
                }
            }
            Thread.interrupted(); // every step has ended: an interrupt now changes nothing
            if (!recorder.holds(run)) {
                throw new LeaseLost();
            }
            String recovered = aborted ? recover(run, plan.recovery().afterFailure(), steps.size() + 1, true) : "";
            if (firstFailure == null) {
                recorder.finish(run, IncidentState.SUCCEEDED, EventType.SUCCEEDED, "done in " + Durations.human(Duration.between(start, clock.instant()))
                        + figures(plan));
            } else {
                recorder.finish(run, IncidentState.FAILED, EventType.FAILED, firstFailure + recovered);
            }
        } catch (InterruptedException e) {
            Thread.interrupted();
            String recovered = plan == null ? "" : recoverQuietly(run, plan.recovery().afterInterruption(), plan.steps().size() + 1, true);
            String stands = plan == null ? "" : plan.recovery().whereThingsStand();
            recorder.finish(run, IncidentState.INTERRUPTED, EventType.INTERRUPTED, "the bot was stopped during step " + run.step + "."
                    + recovered + (stands.isEmpty() ? " Check the service before running the rollback again." : " " + stands));
        } catch (LeaseLost e) {
            lostLease(run, plan);
        } catch (RuntimeException e) {
            log.error("{}: the run failed unexpectedly", approved.ref(), e);
            String recovered = plan == null ? "" : recoverQuietly(run, plan.recovery().afterFailure(), plan.steps().size() + 1, true);
            recorder.finish(run, IncidentState.FAILED, EventType.FAILED, "the bot hit an unexpected error (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); see its log for " + approved.ref() + "." + recovered);
        }
    }

    /**
     * This replica went silent long enough for another to take the incident over. What the current step changed is
     * still put back here (this run knows it best; the put-back is safe to repeat), but only while the incident is
     * still running: once the new owner has ended it, its targets may already belong to another rollback.
     */
    private void lostLease(ActiveRun run, RollbackPlan plan) {
        putBackWithoutLease(run, plan == null ? Optional.empty() : plan.recovery().afterFailure(),
                plan == null ? 0 : plan.steps().size() + 1);
    }

    private String putBackWithoutLease(ActiveRun run, Optional<Step> recovery, int no) {
        long id = run.lease.incidentId();
        log.error("INC-{}: this replica lost the lease during step {}; another replica owns it now", id, run.step);
        boolean stillRunning = store.find(id).map(i -> i.state() == IncidentState.RUNNING).orElse(false);
        boolean putBack = stillRunning && recovery.isPresent();
        recorder.publish(TimelineEvent.of(id, clock.instant(), EventType.LEASE_LOST, null, "replica " + owner + " lost it during step "
                + run.step + (putBack
                ? "; putting back what it changed" : stillRunning ? "; it had nothing to put back"
                        : "; the incident had already ended, so nothing more is done here. That step may have finished after"
                                + " the take-over: check the service by hand")));
        if (!putBack) {
            return "";
        }
        run.unfenced = true;
        try {
            return recover(run, recovery, no, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return " Recovery was interrupted.";
        } catch (LeaseLost cannotHappen) {
            return "";
        } catch (RuntimeException e) {
            log.error("INC-{}: recovery failed", id, e);
            return " Recovery failed: " + e.getMessage();
        }
    }

    private void recoverTakenOver(Incident incident, ActiveRun run) {
        long id = incident.id();
        String step = incident.currentStep().orElse("its first step");
        recorder.publish(TimelineEvent.of(id, clock.instant(), EventType.TAKEN_OVER, null, "replica " + owner + " took it over: the replica"
                + " running it went silent during step " + step + "; putting back what it changed"));
        String recovered = "";
        String stands = "";
        try {
            RollbackPlan plan = planner.plan(incident);
            Recovery recovery = plan.recovery();
            recovery.resumeFrom(incident.checkpoint().orElse(""));
            recovery.checkpointTo(cp -> run.unfenced || leases.checkpoint(run.lease, cp));
            recorder.progressOf(recovery, run);
            recovered = recover(run, recovery.afterFailure(), plan.steps().size() + 1, true);
            stands = recovery.whereThingsStand();
        } catch (LeaseLost e) {
            log.warn("INC-{}: taken over again by another replica", id);
            return;
        } catch (InterruptedException e) {
            Thread.interrupted();
            recovered = " Putting things back was interrupted (the bot is stopping).";
        } catch (RuntimeException e) {
            log.error("INC-{}: could not put things back after taking it over", id, e);
            recovered = " Putting things back failed: " + e.getMessage() + ".";
        }
        recorder.finish(run, IncidentState.INTERRUPTED, EventType.INTERRUPTED, "the bot running it stopped answering during " + step + "."
                + recovered + (stands.isEmpty() ? " Check the service before running it again." : " " + stands));
    }

    /** What the procedure adds to a successful outcome; a failure to tell must not turn a success into a failure. */
    private static String figures(RollbackPlan plan) {
        try {
            String f = plan.figures().get();
            return f == null || f.isEmpty() ? "" : "; " + f;
        } catch (RuntimeException e) {
            log.warn("could not tell the figures of a run: {}", e.toString());
            return "";
        }
    }

    /** Runs a recovery step, if there is one; returns what it did, to be added to the incident's outcome. */
    private String recover(ActiveRun run, Optional<Step> recovery, int no, boolean fenced) throws InterruptedException, LeaseLost {
        if (recovery.isEmpty()) {
            return "";
        }
        Optional<String> failure = recorder.runStep(run, no, recovery.get(), fenced);
        return failure.map(f -> " Recovery failed too: " + f).orElse(" Recovery: " + run.lastDetail + ".");
    }

    private String recoverQuietly(ActiveRun run, Optional<Step> recovery, int no, boolean fenced) {
        try {
            return recover(run, recovery, no, fenced);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
            return " Recovery was interrupted too.";
        } catch (LeaseLost e) {
            return putBackWithoutLease(run, recovery, no);
        } catch (RuntimeException e) {
            log.error("INC-{}: recovery failed", run.lease.incidentId(), e);
            return " Recovery failed: " + e.getMessage();
        }
    }

    /**
     * Stops taking runs and lets running ones go on for up to {@code grace}. Then each is interrupted: it puts back
     * what it can (the plan's recovery) and records itself as interrupted, within {@link #PUT_BACK_BUDGET}. Only then
     * may the caller close the engine client and the database. A run that has not ended by then is recorded here.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        pool.shutdown();
        try {
            if (await(grace)) {
                return;
            }
            log.warn("{} rollback(s) still running after the grace period of {}; interrupting them, then waiting up to {} for"
                    + " them to put back what they changed", running.size(), grace, PUT_BACK_BUDGET);
            running.values().forEach(r -> {
                if (r.thread != null) {
                    r.thread.interrupt();
                }
            });
            if (await(PUT_BACK_BUDGET)) {
                return;
            }
            for (ActiveRun r : running.values()) {
                recorder.finish(r, IncidentState.INTERRUPTED, EventType.INTERRUPTED, "the bot was stopped during step " + r.step
                        + " and putting things back did not end in time. Check the service before running the rollback again.");
            }
            pool.shutdownNow();
        } finally {
            recorder.close(); // what runs published is recorded before the caller closes the database
        }
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
