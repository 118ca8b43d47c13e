package dev.rollbackbot.rollback;

import java.util.Optional;

/**
 * What a plan does when a run does not end well. Asked only then, since what needs undoing depends on how far
 * the run got.
 */
public interface Recovery {
    /** The step that puts back what the run changed, after a critical step failed. */
    Optional<Step> afterFailure();

    /**
     * The step to run when the bot is stopped mid-run. It may differ from {@link #afterFailure()}: once the new
     * version runs, it is left running (its health unproven) rather than swapped back during shutdown.
     */
    Optional<Step> afterInterruption();

    /** Where things stand, for the record of an interrupted run: what runs, what was kept, what to do by hand. */
    String whereThingsStand();

    /** Where the run stands, to be saved so that another replica can put things back; empty when there is nothing to save. */
    default String checkpoint() {
        return "";
    }

    /**
     * Where to save the checkpoint each time it changes, including mid-step, before each change is made. A procedure
     * whose save is refused (the lease was lost) must not make the change it was about to make.
     */
    default void checkpointTo(CheckpointSink sink) {
    }

    /** Restores a saved checkpoint, on the replica that takes over a run whose replica went silent. */
    default void resumeFrom(String checkpoint) {
    }

    /**
     * Restores what was prepared while the approval waited, for a run that is about to make its first step: nothing of
     * it can have been changed yet, so unlike {@link #resumeFrom} after a take-over nothing needs looking for.
     */
    default void resumePrepared(String checkpoint) {
        resumeFrom(checkpoint);
    }

    Recovery NOTHING = new Recovery() {
        @Override
        public Optional<Step> afterFailure() {
            return Optional.empty();
        }

        @Override
        public Optional<Step> afterInterruption() {
            return Optional.empty();
        }

        @Override
        public String whereThingsStand() {
            return "";
        }
    };
}
