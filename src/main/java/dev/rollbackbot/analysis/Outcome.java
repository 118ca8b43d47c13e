package dev.rollbackbot.analysis;

import dev.rollbackbot.incident.IncidentState;

/** How a rollback ended, for the analysis; {@link #OPEN} while it is still pending or running. */
public enum Outcome {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    INTERRUPTED("interrupted"),
    DENIED("denied"),
    CANCELLED("cancelled"),
    EXPIRED("expired"),
    REFUSED("refused"),
    OPEN("still pending or running");

    private final String word;

    Outcome(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Outcome of(IncidentState state) {
        return switch (state) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case INTERRUPTED -> INTERRUPTED;
            case DENIED -> DENIED;
            case CANCELLED -> CANCELLED;
            case EXPIRED -> EXPIRED;
            case REFUSED -> REFUSED;
            case PENDING, RUNNING -> OPEN;
        };
    }
}
