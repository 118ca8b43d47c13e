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
    /** How a long step is going, as it changes ({@code 2/3 pods ready}); the step is still running. */
    STEP_PROGRESS,
    STEP_SUCCEEDED,
    STEP_FAILED,
    /** The replica running the incident lost its lease (another replica took it over); it puts back what it changed. */
    LEASE_LOST,
    /** This replica took over a run whose replica went silent, to put things back and end it. */
    TAKEN_OVER,
    SUCCEEDED,
    FAILED,
    INTERRUPTED,
    /** An escalation opened (emergency, automated or data request, a failure, an interruption): L1 is paged at once. */
    ESCALATION_OPENED,
    /** A level was paged; the detail starts with the level's name ({@code L2: Technical Lead, ...}). */
    PAGED,
    /** The page was posted in the incident's thread, mentioning the level's people. */
    PAGE_THREAD,
    /** The page was sent as a direct message to the actor. */
    PAGE_DM,
    /** The page was emailed (the detail names the addresses). */
    PAGE_EMAIL,
    /** One channel of a page failed; the detail says which and why. */
    PAGE_FAILED,
    /** The actor acknowledged the escalation: no more pages. The duration is the time from opening to acknowledging. */
    ACKNOWLEDGED,
    /** The escalation stopped without an acknowledgement (the rollback succeeded, was denied or cancelled). */
    ESCALATION_STOPPED,
    /**
     * The health monitor saw the service it opened this incident for answer 200 again; the duration is the downtime,
     * from the first failed check of the streak to that healthy check.
     */
    HEALTHY_AGAIN;

    /** The events after which the incident is over. */
    public boolean isFinal() {
        return switch (this) {
            case DENIED, CANCELLED, EXPIRED, REFUSED, SUCCEEDED, FAILED, INTERRUPTED -> true;
            default -> false;
        };
    }
}
