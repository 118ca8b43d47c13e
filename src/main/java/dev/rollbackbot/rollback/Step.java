package dev.rollbackbot.rollback;

/**
 * One step of a rollback plan, reported in the thread as it starts and ends. {@link #run()} returns what it did
 * (for the thread) or throws {@link StepFailure} with what went wrong and what to do.
 */
public interface Step {
    String title();

    String run() throws Exception;

    /** A critical step's failure ends the run; a check that is not critical is reported and the run goes on. */
    default boolean critical() {
        return true;
    }

    /**
     * Called just before the runner records that this step starts (its lease check and its "started" event): begins
     * the reads the step will need, so they overlap that bookkeeping. Must change nothing; the step itself still
     * checks what it reads, and reads again what it cannot use.
     */
    default void readAhead() {
    }

    /** This step, with {@code reads} begun by {@link #readAhead()}. */
    default Step readingAhead(Runnable reads) {
        Step step = this;
        return new Step() {
            @Override
            public String title() {
                return step.title();
            }

            @Override
            public String run() throws Exception {
                return step.run();
            }

            @Override
            public boolean critical() {
                return step.critical();
            }

            @Override
            public void readAhead() {
                reads.run();
            }
        };
    }

    static Step of(String title, boolean critical, Action action) {
        return new Step() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public String run() throws Exception {
                return action.run();
            }

            @Override
            public boolean critical() {
                return critical;
            }
        };
    }

    @FunctionalInterface
    interface Action {
        String run() throws Exception;
    }
}
