package dev.rollbackbot.rollback;

import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import java.util.Optional;

/**
 * A request to open an incident, from any trigger: a slash command, the health monitor, a drill, a deploy
 * notification. {@code channel} is where its card goes.
 */
public record RollbackRequest(RollbackKind kind, String target, Optional<String> toVersion, Optional<String> backup,
        String reason, Requester requester, String channel) {
}
