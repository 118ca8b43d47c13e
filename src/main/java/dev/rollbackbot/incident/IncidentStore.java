package dev.rollbackbot.incident;

import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.store.DatabaseClock;
import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Incidents and their approvals in the database. Every change of state is a conditional update, so two replicas
 * (or two clicks) racing for the same incident cannot both win; an incident holds its targets from creation until it
 * ends (see {@link TargetLocks}). What a run writes while it runs goes through {@link RunLeases}.
 */
public final class IncidentStore {
    static final String COLUMNS = "id, kind, target, state, requested_by, requester_kind, reason, from_version, to_version, "
            + "required_approvals, channel_id, message_ts, current_step, detail, created_at, expires_at, started_at, finished_at, "
            + "version_choice, from_pin, to_pin, warnings, checkpoint, prepare_state, prepare_detail";

    private final Jdbc jdbc;
    private final TargetLocks locks;
    private final DatabaseClock dbClock;

    public IncidentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.locks = new TargetLocks(jdbc);
        this.dbClock = new DatabaseClock(jdbc);
    }

    /** Creates a PENDING incident holding all its targets, or throws {@link TargetBusyException} holding none. */
    public Incident create(NewIncident n, Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                long id = jdbc.inTransaction(() -> {
                    long created = jdbc.insert("insert into incidents (kind, target, state, requested_by, requester_kind, reason,"
                            + " required_approvals, channel_id, created_at, expires_at) values (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?)",
                            n.kind().name(), n.target(), n.requester().id(), n.requester().kind().name(), n.reason(),
                            n.requiredApprovals(), n.channelId(), now.toEpochMilli(), n.expiresAt().toEpochMilli());
                    locks.take(created, n.locks());
                    return created;
                });
                return find(id).orElseThrow();
            } catch (StoreException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
                Optional<Incident> holder = locks.holder(n.locks()).flatMap(this::find);
                if (holder.isPresent()) {
                    throw new TargetBusyException(holder.get());
                }
                // the holder ended between our insert and the look-up: the targets are free now, so try again
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public Optional<Incident> find(long id) {
        return jdbc.queryOne("select " + COLUMNS + " from incidents where id = ?", IncidentStore::map, id);
    }

    /** The pending or running incident that holds {@code target}, if any. */
    public Optional<Incident> activeFor(String target) {
        return locks.holder(List.of(target)).flatMap(this::find);
    }

    /** The targets an active incident holds. */
    public List<String> locksOf(long id) {
        return locks.heldBy(id);
    }

    /** Records the concrete plan of a pending incident: versions, pins, warnings, approvals needed. */
    public void plan(long id, ChosenVersions v, List<String> warnings, int requiredApprovals) {
        jdbc.update("update incidents set from_version = ?, to_version = ?, version_choice = ?, from_pin = ?, to_pin = ?,"
                + " warnings = ?, required_approvals = ? where id = ?",
                v.current(), v.target(), v.choice().name(), v.currentPin().map(Pin::value).orElse(null),
                v.targetPin().map(Pin::value).orElse(null), warnings.isEmpty() ? null : fit(String.join("\n", warnings)),
                requiredApprovals, id);
    }

    /**
     * Versions this target was rolled back from by a successful rollback of a kind that leaves a bad version behind,
     * whose target the bot chose itself: never chosen again as "previous". A person's explicit choice ({@code --to})
     * says nothing about the version left.
     */
    /** The same as {@link #rolledBackFrom}, as the pins the left versions had (a Kubernetes revision is renumbered). */
    public Set<String> rolledBackFromPins(String target) {
        Set<String> out = new HashSet<>();
        jdbc.query("select kind, from_pin, version_choice from incidents where target = ? and state = 'SUCCEEDED'"
                + " and from_pin is not null", rs -> {
                    RollbackKind kind = RollbackKind.valueOf(rs.getString(1));
                    String choice = rs.getString(3);
                    if (kind.leavesABadVersion() && (choice == null || VersionChoice.valueOf(choice).chosenByTheBot())) {
                        out.add(rs.getString(2));
                    }
                    return null;
                }, target);
        return out;
    }

    public Set<String> rolledBackFrom(String target) {
        Set<String> out = new HashSet<>();
        jdbc.query("select kind, from_version, version_choice from incidents where target = ? and state = 'SUCCEEDED'"
                + " and from_version is not null", rs -> {
                    RollbackKind kind = RollbackKind.valueOf(rs.getString(1));
                    String choice = rs.getString(3);
                    if (kind.leavesABadVersion() && (choice == null || VersionChoice.valueOf(choice).chosenByTheBot())) {
                        out.add(rs.getString(2));
                    }
                    return null;
                }, target);
        return out;
    }

    public void attachMessage(long id, String channelId, String ts) {
        jdbc.update("update incidents set channel_id = ?, message_ts = ? where id = ?", channelId, ts, id);
    }

    /**
     * Records one approval; the one that completes the count moves the incident to RUNNING for {@code owner} with a new
     * lease, by a conditional update on the PENDING state (racing replicas start one run).
     */
    public ApprovalRecord approve(long id, String approver, String owner, Instant now) {
        return jdbc.inTransaction(() -> {
            Incident inc = jdbc.queryOne("select " + COLUMNS + " from incidents where id = ? for update", IncidentStore::map, id)
                    .orElseThrow(() -> new SQLException("no incident " + id));
            List<String> before = approvers(id);
            int given = before.size();
            if (inc.state() != IncidentState.PENDING) {
                return ApprovalRecord.of(ApprovalRecord.Status.NOT_PENDING, given, inc);
            }
            if (inc.expiresAt().map(e -> !now.isBefore(e)).orElse(false)) {
                return ApprovalRecord.of(ApprovalRecord.Status.EXPIRED, given, inc);
            }
            if (before.contains(approver)) {
                return ApprovalRecord.of(ApprovalRecord.Status.DUPLICATE, given, inc);
            }
            jdbc.update("insert into approvals (incident_id, approver, at) values (?, ?, ?)", id, approver, now.toEpochMilli());
            given++;
            if (given < inc.requiredApprovals()) {
                return ApprovalRecord.of(ApprovalRecord.Status.RECORDED, given, inc);
            }
            Optional<Lease> lease = start(id, owner, now);
            if (lease.isEmpty()) {
                return ApprovalRecord.of(ApprovalRecord.Status.NOT_PENDING, given - 1, find(id).orElseThrow());
            }
            return new ApprovalRecord(ApprovalRecord.Status.STARTED, given, find(id).orElseThrow(), lease);
        });
    }

    /** Starts a PENDING incident for {@code owner}: the lease to run it, or empty when someone else won the race. */
    public Optional<Lease> start(long id, String owner, Instant now) {
        return jdbc.inTransaction(() -> {
            int n = jdbc.update("update incidents set state = 'RUNNING', started_at = ?, owner = ?, lease_epoch = lease_epoch + 1,"
                    + " heartbeat_at = ? where id = ? and state = 'PENDING'", now.toEpochMilli(), owner, dbClock.now().toEpochMilli(), id);
            if (n != 1) {
                return Optional.empty();
            }
            long epoch = jdbc.queryOne("select lease_epoch from incidents where id = ?", rs -> rs.getLong(1), id).orElseThrow();
            return Optional.of(new Lease(id, owner, epoch));
        });
    }

    /** Ends an incident that is in state {@code from} (not a running one: see {@link RunLeases}), freeing its targets. */
    public boolean finish(long id, IncidentState from, IncidentState to, Instant now, String detail) {
        if (from == IncidentState.RUNNING) {
            throw new IllegalArgumentException("a running incident is finished through its lease");
        }
        return jdbc.inTransaction(() -> {
            boolean done = jdbc.update("update incidents set state = ?, current_step = null, finished_at = ?,"
                    + " detail = coalesce(?, detail) where id = ? and state = ?",
                    to.name(), now.toEpochMilli(), fit(detail), id, from.name()) == 1;
            if (done) {
                locks.release(id);
            }
            return done;
        });
    }

    /** Claims the preparation of a pending incident for this caller; false when it was claimed or it is not pending. */
    public boolean claimPreparation(long id) {
        return jdbc.update("update incidents set prepare_state = 'PREPARING' where id = ? and state = 'PENDING'"
                + " and prepare_state is null", id) == 1;
    }

    /**
     * Records how the preparation ended (READY or FAILED), with what was prepared as the start of the run's checkpoint.
     * False when the incident ended meanwhile: then the caller must discard what it prepared.
     */
    public boolean settlePreparation(long id, PrepareState state, String detail, String checkpoint) {
        return jdbc.update("update incidents set prepare_state = ?, prepare_detail = ?, checkpoint = coalesce(?, checkpoint)"
                + " where id = ? and prepare_state = 'PREPARING' and state in ('PENDING', 'RUNNING')",
                state.name(), fit2000(detail), checkpoint == null || checkpoint.isEmpty() ? null : checkpoint, id) == 1;
    }

    /** What was prepared has been removed. */
    public void preparationDiscarded(long id, String detail) {
        jdbc.update("update incidents set prepare_state = 'DISCARDED', prepare_detail = ? where id = ?", fit2000(detail), id);
    }

    private static String fit2000(String s) {
        return s != null && s.length() > 2000 ? s.substring(0, 1999) + "…" : s;
    }

    public List<String> approvers(long id) {
        return jdbc.query("select approver from approvals where incident_id = ? order by at, approver", rs -> rs.getString(1), id);
    }

    public List<Incident> active() {
        return jdbc.query("select " + COLUMNS + " from incidents where state in ('PENDING', 'RUNNING') order by id", IncidentStore::map);
    }

    public List<Incident> recent(Optional<String> target, int limit) {
        return target
                .map(t -> jdbc.query("select " + COLUMNS + " from incidents where target = ? order by id desc limit ?",
                        IncidentStore::map, t, limit))
                .orElseGet(() -> jdbc.query("select " + COLUMNS + " from incidents order by id desc limit ?",
                        IncidentStore::map, limit));
    }

    /** Every incident requested in {@code [from, to)}, oldest first (for the analysis). */
    public List<Incident> requestedBetween(Instant from, Instant to) {
        return jdbc.query("select " + COLUMNS + " from incidents where created_at >= ? and created_at < ? order by id",
                IncidentStore::map, from.toEpochMilli(), to.toEpochMilli());
    }

    public List<Long> dueForExpiry(Instant now) {
        return jdbc.query("select id from incidents where state = 'PENDING' and expires_at <= ? order by id",
                rs -> rs.getLong(1), now.toEpochMilli());
    }

    /** A detail cut to its column (varchar(4000)), as {@link Timeline} cuts event details. */
    static String fit(String detail) {
        return detail != null && detail.length() > 4000 ? detail.substring(0, 3999) + "…" : detail;
    }

    static Incident map(ResultSet rs) throws SQLException {
        String warnings = rs.getString("warnings");
        return new Incident(
                rs.getLong("id"),
                RollbackKind.valueOf(rs.getString("kind")),
                rs.getString("target"),
                IncidentState.valueOf(rs.getString("state")),
                new Requester(Requester.Kind.valueOf(rs.getString("requester_kind")), rs.getString("requested_by")),
                rs.getString("reason"),
                Optional.ofNullable(rs.getString("from_version")),
                Optional.ofNullable(rs.getString("to_version")),
                rs.getInt("required_approvals"),
                Optional.ofNullable(rs.getString("channel_id")),
                Optional.ofNullable(rs.getString("message_ts")),
                Optional.ofNullable(rs.getString("current_step")),
                Optional.ofNullable(rs.getString("detail")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "expires_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                Optional.ofNullable(rs.getString("version_choice")).map(VersionChoice::valueOf),
                Optional.ofNullable(rs.getString("from_pin")).map(Pin::new),
                Optional.ofNullable(rs.getString("to_pin")).map(Pin::new),
                warnings == null ? List.of() : Arrays.asList(warnings.split("\n")),
                Optional.ofNullable(rs.getString("checkpoint")),
                Optional.ofNullable(rs.getString("prepare_state")).map(PrepareState::valueOf),
                Optional.ofNullable(rs.getString("prepare_detail")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}
