package dev.rollbackbot.rollback;

import dev.rollbackbot.common.UserError;

/** A step did not do its job; the message names the service, what failed and what to do. */
public final class StepFailure extends UserError {
    public StepFailure(String message) {
        super(message);
    }
}
