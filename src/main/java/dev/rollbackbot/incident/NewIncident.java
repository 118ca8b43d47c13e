package dev.rollbackbot.incident;

import dev.rollbackbot.rollback.RollbackKind;

/** What a request knows before anything is looked up. */
public record NewIncident(RollbackKind kind, String target, String requestedBy, String reason, String channelId) {
}
