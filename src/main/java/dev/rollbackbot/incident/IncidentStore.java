package dev.rollbackbot.incident;

import dev.rollbackbot.rollback.RollbackKind;
import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Incidents and their approvals in the database. Every change of state is a conditional update, so two replicas
 * (or two clicks) racing for the same incident cannot both win.
 */
public final class IncidentStore {
    private static final String COLUMNS = "id, kind, target, state, requested_by, reason, from_version, to_version, "
            + "required_approvals, channel_id, message_ts, current_step, detail, created_at, expires_at, started_at, finished_at, "
            + "version_source, from_image_id, to_image_id";

    private final Jdbc jdbc;

    public IncidentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates a PENDING incident that holds its target, or throws {@link TargetBusyException}. */
    public Incident create(NewIncident n, Instant now) {
        long id;
        for (int attempt = 1; ; attempt++) {
            try {
                id = jdbc.insert("insert into incidents (kind, target, active_target, state, requested_by, reason, required_approvals,"
                        + " channel_id, created_at, expires_at) values (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)",
                        n.kind().name(), n.target(), n.target(), n.requestedBy(), n.reason(), n.requiredApprovals(),
                        n.channelId(), now.toEpochMilli(), n.expiresAt().toEpochMilli());
                break;
            } catch (StoreException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
                Optional<Incident> holder = activeFor(n.target());
                if (holder.isPresent()) {
                    throw new TargetBusyException(holder.get());
                }
                // the holder ended between our insert and the look-up: the target is free now, so try again
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        return find(id).orElseThrow();
    }

    public Optional<Incident> find(long id) {
        return jdbc.queryOne("select " + COLUMNS + " from incidents where id = ?", IncidentStore::map, id);
    }

    public Optional<Incident> activeFor(String target) {
        return jdbc.queryOne("select " + COLUMNS + " from incidents where active_target = ?", IncidentStore::map, target);
    }

    /** Records the concrete plan of a pending incident: versions, approvals needed, when the request expires. */
    public void plan(long id, dev.rollbackbot.rollback.Versions v, int requiredApprovals) {
        jdbc.update("update incidents set from_version = ?, to_version = ?, version_source = ?, from_image_id = ?,"
                + " to_image_id = ?, required_approvals = ? where id = ?",
                v.current(), v.target(), v.chosenBy(), v.currentImageId().orElse(null), v.targetImageId().orElse(null),
                requiredApprovals, id);
    }

    /**
     * Versions this service was rolled back from by a successful rollback that chose its target itself: never chosen
     * again as "previous". A move made with {@code --to} was a person's explicit choice and says nothing about the
     * version left.
     */
    public java.util.Set<String> rolledBackFrom(String target) {
        return new java.util.HashSet<>(jdbc.query("select distinct from_version from incidents where target = ? and state = 'SUCCEEDED'"
                + " and kind in ('MANUAL', 'EMERGENCY', 'AUTOMATED', 'DRILL') and from_version is not null"
                + " and (version_source is null or version_source <> 'named with --to')",
                rs -> rs.getString(1), target));
    }

    public void attachMessage(long id, String channelId, String ts) {
        jdbc.update("update incidents set channel_id = ?, message_ts = ? where id = ?", channelId, ts, id);
    }

    /** Records one approval; the one that completes the count moves the incident to RUNNING for {@code owner}. */
    public ApprovalRecord approve(long id, String approver, String owner, Instant now) {
        return jdbc.inTransaction(() -> {
            Incident inc = jdbc.queryOne("select " + COLUMNS + " from incidents where id = ? for update", IncidentStore::map, id)
                    .orElseThrow(() -> new SQLException("no incident " + id));
            int given = approvers(id).size();
            if (inc.state() != IncidentState.PENDING) {
                return new ApprovalRecord(ApprovalRecord.Status.NOT_PENDING, given, inc);
            }
            if (inc.expiresAt().map(e -> !now.isBefore(e)).orElse(false)) {
                return new ApprovalRecord(ApprovalRecord.Status.EXPIRED, given, inc);
            }
            if (approvers(id).contains(approver)) {
                return new ApprovalRecord(ApprovalRecord.Status.DUPLICATE, given, inc);
            }
            jdbc.update("insert into approvals (incident_id, approver, at) values (?, ?, ?)", id, approver, now.toEpochMilli());
            given++;
            if (given < inc.requiredApprovals()) {
                return new ApprovalRecord(ApprovalRecord.Status.RECORDED, given, inc);
            }
            jdbc.update("update incidents set state = 'RUNNING', started_at = ?, owner = ?, heartbeat_at = ? where id = ?",
                    now.toEpochMilli(), owner, now.toEpochMilli(), id);
            return new ApprovalRecord(ApprovalRecord.Status.STARTED, given, find(id).orElseThrow());
        });
    }

    /** Starts a pending incident that needs no approval. True if this caller won the race to start it. */
    public boolean start(long id, String owner, Instant now) {
        return jdbc.update("update incidents set state = 'RUNNING', started_at = ?, owner = ?, heartbeat_at = ?"
                + " where id = ? and state = 'PENDING'", now.toEpochMilli(), owner, now.toEpochMilli(), id) == 1;
    }

    /** Ends an incident that is in state {@code from}, releasing its target. True if this caller ended it. */
    public boolean finish(long id, IncidentState from, IncidentState to, Instant now, String detail) {
        return jdbc.update("update incidents set state = ?, active_target = null, current_step = null, finished_at = ?,"
                + " detail = coalesce(?, detail) where id = ? and state = ?",
                to.name(), now.toEpochMilli(), fitDetail(detail), id, from.name()) == 1;
    }

    /** The detail cut to its column (varchar(4000)), as {@link Timeline} cuts event details. */
    private static String fitDetail(String detail) {
        return detail != null && detail.length() > 4000 ? detail.substring(0, 3999) + "…" : detail;
    }

    /** Notes the step a run is on; false when the incident is no longer running for {@code owner}. */
    public boolean currentStep(long id, String owner, String title, Instant now) {
        return jdbc.update("update incidents set current_step = ?, heartbeat_at = ? where id = ? and state = 'RUNNING' and owner = ?",
                title, now.toEpochMilli(), id, owner) == 1;
    }

    public void heartbeat(String owner, Instant now) {
        jdbc.update("update incidents set heartbeat_at = ? where owner = ? and state = 'RUNNING'", now.toEpochMilli(), owner);
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

    public List<Long> dueForExpiry(Instant now) {
        return jdbc.query("select id from incidents where state = 'PENDING' and expires_at <= ? order by id",
                rs -> rs.getLong(1), now.toEpochMilli());
    }

    /** Running incidents whose runner has not been heard of since {@code before}: its replica died. */
    public List<Long> staleRunning(Instant before) {
        return jdbc.query("select id from incidents where state = 'RUNNING' and (heartbeat_at is null or heartbeat_at < ?) order by id",
                rs -> rs.getLong(1), before.toEpochMilli());
    }

    private static Incident map(ResultSet rs) throws SQLException {
        return new Incident(
                rs.getLong("id"),
                RollbackKind.valueOf(rs.getString("kind")),
                rs.getString("target"),
                IncidentState.valueOf(rs.getString("state")),
                rs.getString("requested_by"),
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
                Optional.ofNullable(rs.getString("version_source")),
                Optional.ofNullable(rs.getString("from_image_id")),
                Optional.ofNullable(rs.getString("to_image_id")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}
