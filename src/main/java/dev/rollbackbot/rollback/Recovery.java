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
