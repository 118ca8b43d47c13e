package dev.rollbackbot.incident;

import dev.rollbackbot.store.Jdbc;
import java.util.List;
import java.util.Optional;

/**
 * One row per locked target, keyed by the target: the primary key makes "one rollback per target" hold across every
 * replica sharing the database. An incident takes all its targets inside the transaction that creates it, or none.
 */
final class TargetLocks {
    private final Jdbc jdbc;

    TargetLocks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Inside a transaction: a unique violation means one of the targets is held. */
    void take(long incidentId, List<String> targets) {
        for (String t : targets) {
            jdbc.update("insert into target_locks (target, incident_id) values (?, ?)", t, incidentId);
        }
    }

    void release(long incidentId) {
        jdbc.update("delete from target_locks where incident_id = ?", incidentId);
    }

    /** The incident holding any of {@code targets}, if one does. */
    Optional<Long> holder(List<String> targets) {
        for (String t : targets) {
            Optional<Long> id = jdbc.queryOne("select incident_id from target_locks where target = ?", rs -> rs.getLong(1), t);
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    List<String> heldBy(long incidentId) {
        return jdbc.query("select target from target_locks where incident_id = ? order by target", rs -> rs.getString(1), incidentId);
    }
}
