package dev.rollbackbot.incident;

/** Where an incident is in its life. Only PENDING and RUNNING hold the target's lock. */
public enum IncidentState {
    PENDING("waiting for approval"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    DENIED("denied"),
    EXPIRED("expired"),
    CANCELLED("cancelled"),
    REFUSED("could not be planned"),
    INTERRUPTED("interrupted");

    private final String description;

    IncidentState(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean isActive() {
        return this == PENDING || this == RUNNING;
    }
}
