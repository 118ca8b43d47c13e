package dev.rollbackbot.rollback;

import dev.rollbackbot.incident.Lease;

/** A run in progress on this replica. */
final class ActiveRun {
    final Lease lease;
    volatile String step = "before its first step";
    volatile int stepNo;
    volatile String stepTitle;
    volatile String lastDetail = "done";
    volatile Thread thread;
    /** After the lease was lost: a put-back no longer saves checkpoints (they would be refused). */
    volatile boolean unfenced;

    ActiveRun(Lease lease) {
        this.lease = lease;
    }
}
