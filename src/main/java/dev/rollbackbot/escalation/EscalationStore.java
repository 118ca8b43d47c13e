package dev.rollbackbot.escalation;

import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The escalations table. Every change is a conditional update, so replicas racing on one escalation change it once. */
public final class EscalationStore {
    private static final String COLUMNS = "id, incident_id, reason, opened_at, pages, last_paged_at, next_due, acked_by,"
            + " acked_at, closed_at, close_reason";

    private final Jdbc jdbc;

    public EscalationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens an escalation for the incident, or returns empty when one is already open (on any replica). */
    public Optional<Escalation> open(long incidentId, String reason, Instant now) {
        try {
            jdbc.update("insert into escalations (incident_id, open_for, reason, opened_at, pages, next_due) values (?, ?, ?, ?, 0, ?)",
                    incidentId, incidentId, reason.length() > 200 ? reason.substring(0, 199) + "…" : reason,
                    now.toEpochMilli(), now.toEpochMilli());
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                return Optional.empty(); // the unique open_for said no: one is open already
            }
            throw e;
        }
        return openFor(incidentId);
    }

    public Optional<Escalation> find(long id) {
        return jdbc.query("select " + COLUMNS + " from escalations where id = ?", EscalationStore::map, id).stream().findFirst();
    }

    public Optional<Escalation> openFor(long incidentId) {
        return jdbc.query("select " + COLUMNS + " from escalations where open_for = ?", EscalationStore::map, incidentId)
                .stream().findFirst();
    }

    /** The incident's most recent escalation, open or not. */
    public Optional<Escalation> latestFor(long incidentId) {
        return jdbc.query("select " + COLUMNS + " from escalations where incident_id = ? order by id desc limit 1",
                EscalationStore::map, incidentId).stream().findFirst();
    }

    public List<Escalation> allOpen() {
        return jdbc.query("select " + COLUMNS + " from escalations where open_for is not null order by id", EscalationStore::map);
    }

    /** Claims page number {@code pagesSoFar} (0-based): true for exactly one caller while the escalation is open. */
    public boolean claimPage(long id, int pagesSoFar, Instant now, Instant nextDue) {
        return jdbc.update("update escalations set pages = pages + 1, last_paged_at = ?, next_due = ?"
                + " where id = ? and pages = ? and open_for is not null",
                now.toEpochMilli(), nextDue.toEpochMilli(), id, pagesSoFar) == 1;
    }

    /** Records who acknowledged; true for exactly one caller while the escalation is open. */
    public boolean acknowledge(long id, String user, Instant now) {
        return jdbc.update("update escalations set open_for = null, acked_by = ?, acked_at = ?, closed_at = ?, next_due = null,"
                + " close_reason = 'acknowledged' where id = ? and open_for is not null",
                user, now.toEpochMilli(), now.toEpochMilli(), id) == 1;
    }

    /** Stops an open escalation without an acknowledgement; true for exactly one caller. */
    public boolean close(long id, String why, Instant now) {
        return jdbc.update("update escalations set open_for = null, closed_at = ?, next_due = null, close_reason = ?"
                + " where id = ? and open_for is not null",
                now.toEpochMilli(), why.length() > 200 ? why.substring(0, 199) + "…" : why, id) == 1;
    }

    private static Escalation map(ResultSet rs) throws SQLException {
        return new Escalation(rs.getLong("id"), rs.getLong("incident_id"), rs.getString("reason"),
                Instant.ofEpochMilli(rs.getLong("opened_at")), rs.getInt("pages"), instant(rs, "last_paged_at"),
                instant(rs, "next_due"), Optional.ofNullable(rs.getString("acked_by")), instant(rs, "acked_at"),
                instant(rs, "closed_at"), Optional.ofNullable(rs.getString("close_reason")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}
