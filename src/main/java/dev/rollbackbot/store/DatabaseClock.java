package dev.rollbackbot.store;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The database's own clock. Leases are written and compared in it, so replicas whose clocks disagree (or one that
 * was paused) still agree on which heartbeat is stale.
 */
public final class DatabaseClock {
    private final Jdbc jdbc;

    public DatabaseClock(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Instant now() {
        return jdbc.queryOne("select current_timestamp", rs -> rs.getObject(1, OffsetDateTime.class).toInstant()).orElseThrow();
    }
}
