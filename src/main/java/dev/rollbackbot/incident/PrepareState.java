package dev.rollbackbot.incident;

/** Where the work done while the approval waits stands. */
public enum PrepareState {
    /** A replica is preparing now; a run that starts meanwhile waits for it. */
    PREPARING,
    /** Prepared: the run only has to switch. */
    READY,
    /** Preparing failed: the card says why, and Approve refuses to start. */
    FAILED,
    /** What was prepared was removed (denied, cancelled, expired). */
    DISCARDED
}
