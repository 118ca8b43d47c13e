package dev.rollbackbot.data;

import dev.rollbackbot.store.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The figures of each data rollback whose data went live: the backup's time, the restore's time and its duration. */
public final class DataRestores {
    /** One restore: the data-loss window is {@code restoredAt - backupAt}. */
    public record Figures(long incidentId, String datastore, String backup, Instant backupAt, Instant restoredAt, Duration took) {
        public Duration dataLossWindow() {
            return Duration.between(backupAt, restoredAt);
        }
    }

    private final Jdbc jdbc;

    public DataRestores(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Figures f) {
        jdbc.update("delete from data_restores where incident_id = ?", f.incidentId());
        jdbc.update("insert into data_restores (incident_id, datastore, backup, backup_at, restored_at, duration_ms) values (?, ?, ?, ?, ?, ?)",
                f.incidentId(), f.datastore(), f.backup(), f.backupAt().toEpochMilli(), f.restoredAt().toEpochMilli(), f.took().toMillis());
    }

    public Optional<Figures> of(long incidentId) {
        return jdbc.queryOne("select incident_id, datastore, backup, backup_at, restored_at, duration_ms from data_restores where incident_id = ?",
                rs -> new Figures(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                        Instant.ofEpochMilli(rs.getLong(5)), Duration.ofMillis(rs.getLong(6))), incidentId);
    }
}
