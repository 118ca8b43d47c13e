package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.PrepareState;
import dev.rollbackbot.incident.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work done while the approval waits. Once the card is up, the procedure prepares what changes nothing serving
 * traffic (the replacement container, created but not started); the card shows it, or what failed, and Approve then
 * refuses to start. A run never races a preparation (it waits for it to settle), and what was prepared for an incident
 * that ends without running (denied, cancelled, expired) is removed.
 */
public final class Preparations implements IncidentListener {
    private static final Logger log = LoggerFactory.getLogger(Preparations.class);
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(60);

    private final IncidentStore store;
    private final IncidentEvents events;
    private final Planner planner;
    private final Clock clock;
    private final ExecutorService cleanups = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prepare-cleanup");
        t.setDaemon(true);
        return t;
    });

    public Preparations(IncidentStore store, IncidentEvents events, Planner planner, Clock clock) {
        this.store = store;
        this.events = events;
        this.planner = planner;
        this.clock = clock;
    }

    /** Prepares a pending incident whose card is up; a second call (another replica, a resend) does nothing. */
    public void prepare(Incident inc) {
        if (!store.claimPreparation(inc.id())) {
            return;
        }
        PrepareState state = PrepareState.READY;
        String detail = null;
        String checkpoint = null;
        try {
            Optional<Prepared> p = planner.prepare(inc);
            if (p.isPresent()) {
                detail = p.get().detail();
                checkpoint = p.get().checkpoint();
            }
        } catch (UserError e) {
            state = PrepareState.FAILED;
            detail = e.getMessage();
        } catch (RuntimeException e) {
            log.error("{}: preparing failed unexpectedly", inc.ref(), e);
            state = PrepareState.FAILED;
            detail = "unexpected error while preparing (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
        if (!store.settlePreparation(inc.id(), state, detail, checkpoint)) {
            log.info("{} ended while it was being prepared; removing what was prepared", inc.ref());
            store.find(inc.id()).ifPresent(this::discardQuietly);
            return;
        }
        if (detail != null) {
            events.publish(TimelineEvent.of(inc.id(), clock.instant(), state == PrepareState.READY ? EventType.PREPARED
                    : EventType.PREPARE_FAILED, null, detail));
        }
    }

    /**
     * The incident once no preparation is in flight (waiting, within a bound, for one that is), so the run starts from
     * what was prepared and never creates the same thing at the same time.
     */
    public Incident awaitSettled(Incident inc) throws InterruptedException {
        Instant deadline = clock.instant().plus(SETTLE_WAIT);
        Incident now = inc;
        while (now.prepareState().filter(s -> s == PrepareState.PREPARING).isPresent() && clock.instant().isBefore(deadline)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.interrupted()) {
                throw new InterruptedException("stopping while waiting for the preparation");
            }
            now = store.find(inc.id()).orElse(now);
        }
        return now;
    }

    /** An incident that ends without running gets what was prepared for it removed, off the caller's thread. */
    @Override
    public void onEvent(TimelineEvent e) {
        switch (e.type()) {
            case DENIED, CANCELLED, EXPIRED -> cleanups.execute(() -> store.find(e.incidentId()).ifPresent(this::discardQuietly));
            default -> {
            }
        }
    }

    private void discardQuietly(Incident inc) {
        if (inc.prepareState().isEmpty() || inc.prepareState().get() == PrepareState.DISCARDED) {
            return;
        }
        try {
            planner.discard(inc);
            store.preparationDiscarded(inc.id(), "removed what was prepared: " + inc.state().description());
        } catch (RuntimeException ex) {
            log.warn("{}: could not remove what was prepared: {}", inc.ref(), ex.getMessage());
        }
    }

    public void shutdown(Duration timeout) {
        cleanups.shutdown();
        try {
            cleanups.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
