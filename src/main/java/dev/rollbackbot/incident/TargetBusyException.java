package dev.rollbackbot.incident;

/** The target already has a pending or running rollback: the one in {@link #running()}. */
public final class TargetBusyException extends RuntimeException {
    private final Incident running;

    public TargetBusyException(Incident running) {
        super(running.target() + " is busy with " + running.ref(), null, false, false);
        this.running = running;
    }

    public Incident running() {
        return running;
    }
}
