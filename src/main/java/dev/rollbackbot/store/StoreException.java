package dev.rollbackbot.store;

import java.sql.SQLException;

/** A database failure; {@link #isUniqueViolation()} tells a lost race for a unique key from a real fault. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
        return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
}
