package dev.rollbackbot.escalation;

import java.time.Instant;
import java.util.Optional;

/** One escalation of an incident, as stored: how many pages went out, when the next is due, who acknowledged. */
public record Escalation(
        long id,
        long incidentId,
        String reason,
        Instant openedAt,
        int pages,
        Optional<Instant> lastPagedAt,
        Optional<Instant> nextDue,
        Optional<String> ackedBy,
        Optional<Instant> ackedAt,
        Optional<Instant> closedAt,
        Optional<String> closeReason) {

    public boolean isOpen() {
        return closedAt.isEmpty();
    }
}
