package dev.rollbackbot.incident;

/** The kinds of event in an incident's timeline. */
public enum EventType {
    REQUESTED,
    APPROVED,
    DENIED,
    CANCELLED,
    EXPIRED,
    REFUSED,
    STARTED,
    STEP_STARTED,
    STEP_SUCCEEDED,
    STEP_FAILED,
    SUCCEEDED,
    FAILED,
    INTERRUPTED;

    /** The events after which the incident is over. */
    public boolean isFinal() {
        return switch (this) {
            case DENIED, CANCELLED, EXPIRED, REFUSED, SUCCEEDED, FAILED, INTERRUPTED -> true;
            default -> false;
        };
    }
}
