package dev.rollbackbot.docker;

import dev.rollbackbot.common.UserError;

/** The container engine refused or could not be reached; the message says what and where. */
public final class EngineException extends UserError {
    public EngineException(String message) {
        super(message);
    }
}
