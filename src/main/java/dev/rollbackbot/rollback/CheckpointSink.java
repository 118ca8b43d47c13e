package dev.rollbackbot.rollback;

/** Where a run saves its checkpoint. Saving also proves the run still holds its lease: false means it does not. */
@FunctionalInterface
public interface CheckpointSink {
    boolean save(String checkpoint);

    /** For a put-back that runs after the lease was lost: nothing is saved, and the put-back goes on. */
    CheckpointSink NONE = checkpoint -> true;

    /**
     * Saves before a change, and stops the step when the lease is lost (another replica owns the run now). A database
     * that does not answer is no proof of that: the change goes on rather than stop half-way.
     */
    default void saveOrStop(String checkpoint, String what) {
        boolean held;
        try {
            held = save(checkpoint);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(CheckpointSink.class).warn("{}: could not save the checkpoint: {}", what, e.toString());
            held = true;
        }
        if (!held) {
            throw new StepFailure("this replica lost its lease on " + what + " (another replica took it over), so it stopped"
                    + " before changing anything more");
        }
    }

    /** Saves when it can; for what a put-back records, which must go on whatever the lease. */
    default void saveQuietly(String checkpoint, String what) {
        try {
            save(checkpoint);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(CheckpointSink.class).warn("{}: could not save the checkpoint: {}", what, e.toString());
        }
    }
}
