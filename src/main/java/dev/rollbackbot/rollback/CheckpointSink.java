package dev.rollbackbot.rollback;

/** Where a run saves its checkpoint. Saving also proves the run still holds its lease: false means it does not. */
@FunctionalInterface
public interface CheckpointSink {
    boolean save(String checkpoint);

    /** For a put-back that runs after the lease was lost: nothing is saved, and the put-back goes on. */
    CheckpointSink NONE = checkpoint -> true;
}
