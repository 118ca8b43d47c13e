package dev.rollbackbot.rollback;

import java.util.function.Consumer;

/**
 * A plan's recovery that can tell how its long step is going as it changes ({@code 2/3 pods ready}): each line it gives
 * becomes a {@code STEP_PROGRESS} event of the step running then, and so a reply in the incident's thread.
 */
public interface StepProgress {
    void progressTo(Consumer<String> sink);
}
