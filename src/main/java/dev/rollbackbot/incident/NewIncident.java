package dev.rollbackbot.incident;

import dev.rollbackbot.rollback.RollbackKind;

import java.time.Instant;

/**
 * What a request knows before anything is looked up, including when it expires: set from the start, so a request
 * whose planning never finishes (a crash, a lost database) still frees its target.
 */
public record NewIncident(RollbackKind kind, String target, String requestedBy, String reason, String channelId,
        int requiredApprovals, Instant expiresAt) {
}
