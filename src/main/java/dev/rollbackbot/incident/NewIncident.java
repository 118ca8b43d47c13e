package dev.rollbackbot.incident;

import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import java.time.Instant;
import java.util.List;

/**
 * What a request knows before anything is looked up, including when it expires (set from the start, so a request
 * whose planning never finishes still frees its targets) and every target it locks: its own, and for a data rollback
 * the services that depend on the datastore.
 */
public record NewIncident(RollbackKind kind, String target, List<String> locks, Requester requester, String reason,
        String channelId, int requiredApprovals, Instant expiresAt) {
    public NewIncident {
        locks = List.copyOf(locks);
        if (!locks.contains(target)) {
            throw new IllegalArgumentException("an incident always locks its own target " + target);
        }
    }
}
