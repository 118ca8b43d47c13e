package dev.rollbackbot.rollback;

/** The lease was lost: another replica owns the incident now. */
final class LeaseLost extends Exception {
    LeaseLost() {
        super("the lease was lost", null, false, false);
    }
}
