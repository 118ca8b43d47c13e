package dev.rollbackbot.incident;

/** The kinds of event in an incident's timeline. */
public enum EventType {
    REQUESTED,
    APPROVED,
    DENIED,
    CANCELLED,
    EXPIRED,
    REFUSED,
    /** What the run would do first was done while the approval waited (nothing serving traffic changed). */
    PREPARED,
    /** Preparing failed: Approve will refuse to start. */
    PREPARE_FAILED,
    STARTED,
    STEP_STARTED,
    STEP_SUCCEEDED,
    STEP_FAILED,
    /** The replica running the incident lost its lease (another replica took it over); it puts back what it changed. */
    LEASE_LOST,
    /** This replica took over a run whose replica went silent, to put things back and end it. */
    TAKEN_OVER,
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
