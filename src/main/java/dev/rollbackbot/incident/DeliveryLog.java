package dev.rollbackbot.incident;

import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.store.StoreException;
import java.time.Duration;
import java.time.Instant;

/**
 * Slack deliveries already handled (by trigger id or event id), shared by every replica: a resent command, a
 * retried event or a click that reaches two replicas is handled once.
 */
public final class DeliveryLog {
    private final Jdbc jdbc;

    public DeliveryLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** True the first time {@code key} is seen; false for every repeat. */
    public boolean firstTime(String key, Instant now) {
        try {
            jdbc.update("insert into deliveries (delivery_key, seen_at) values (?, ?)", key, now.toEpochMilli());
            return true;
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                return false;
            }
            throw e;
        }
    }

    public int forgetOlderThan(Instant now, Duration age) {
        return jdbc.update("delete from deliveries where seen_at < ?", now.minus(age).toEpochMilli());
    }
}
