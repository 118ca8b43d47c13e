package dev.rollbackbot.incident;

import dev.rollbackbot.store.DatabaseClock;
import dev.rollbackbot.store.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run writes while it runs, each write fenced by its {@link Lease}: the step it is on, its heartbeat, its
 * checkpoint and its outcome are written only while the incident is still RUNNING under that owner and epoch.
 * Heartbeats are in the database's clock, and so is the test for a silent run; a replica that takes a silent run over
 * gets a higher epoch, so the old owner can no longer write, and the targets stay locked until the new owner ends it.
 */
public final class RunLeases {
    private static final String HELD = " where id = ? and state = 'RUNNING' and owner = ? and lease_epoch = ?";

    private final Jdbc jdbc;
    private final TargetLocks locks;
    private final DatabaseClock dbClock;

    public RunLeases(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.locks = new TargetLocks(jdbc);
        this.dbClock = new DatabaseClock(jdbc);
    }

    /** Notes the step the run is on (and that it is alive); false when the lease is lost. */
    public boolean currentStep(Lease l, String title) {
        return jdbc.update("update incidents set current_step = ?, heartbeat_at = ?" + HELD,
                title, dbClock.now().toEpochMilli(), l.incidentId(), l.owner(), l.epoch()) == 1;
    }

    public boolean heartbeat(Lease l) {
        return jdbc.update("update incidents set heartbeat_at = ?" + HELD, dbClock.now().toEpochMilli(), l.incidentId(),
                l.owner(), l.epoch()) == 1;
    }

    /** Where the run stands (what it created, what it kept), for whoever has to put things back; false when the lease is lost. */
    public boolean checkpoint(Lease l, String checkpoint) {
        return jdbc.update("update incidents set checkpoint = ?" + HELD, IncidentStore.fit(checkpoint), l.incidentId(),
                l.owner(), l.epoch()) == 1;
    }

    /** True while the lease still holds. */
    public boolean holds(Lease l) {
        return jdbc.queryOne("select 1 from incidents" + HELD, rs -> 1, l.incidentId(), l.owner(), l.epoch()).isPresent();
    }

    /** Ends the run and frees its targets; false when the lease was lost (the new owner ends it). */
    public boolean finish(Lease l, IncidentState to, Instant now, String detail) {
        return jdbc.inTransaction(() -> {
            boolean done = jdbc.update("update incidents set state = ?, current_step = null, finished_at = ?,"
                    + " detail = coalesce(?, detail)" + HELD, to.name(), now.toEpochMilli(), IncidentStore.fit(detail),
                    l.incidentId(), l.owner(), l.epoch()) == 1;
            if (done) {
                locks.release(l.incidentId());
            }
            return done;
        });
    }

    /** Running incidents whose owner has not written a heartbeat for {@code silence}, by the database's clock. */
    public List<Long> silent(Duration silence) {
        long before = dbClock.now().minus(silence).toEpochMilli();
        return jdbc.query("select id from incidents where state = 'RUNNING' and (heartbeat_at is null or heartbeat_at < ?)"
                + " order by id", rs -> rs.getLong(1), before);
    }

    /**
     * Takes over a running incident that has been silent for {@code silence}: a new lease for {@code owner} with a
     * higher epoch, or empty when it is not silent (any more) or another replica took it first. The incident stays
     * RUNNING and keeps its targets: the new owner puts things back and ends it.
     */
    public Optional<Lease> takeOver(long id, String owner, Duration silence) {
        return jdbc.inTransaction(() -> {
            Instant now = dbClock.now();
            int n = jdbc.update("update incidents set owner = ?, lease_epoch = lease_epoch + 1, heartbeat_at = ?"
                    + " where id = ? and state = 'RUNNING' and (heartbeat_at is null or heartbeat_at < ?)",
                    owner, now.toEpochMilli(), id, now.minus(silence).toEpochMilli());
            if (n != 1) {
                return Optional.empty();
            }
            long epoch = jdbc.queryOne("select lease_epoch from incidents where id = ?", rs -> rs.getLong(1), id).orElseThrow();
            return Optional.of(new Lease(id, owner, epoch));
        });
    }
}
