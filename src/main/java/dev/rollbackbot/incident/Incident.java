package dev.rollbackbot.incident;

import dev.rollbackbot.rollback.RollbackKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One request and everything that happened to it, as stored. */
public record Incident(
        long id,
        RollbackKind kind,
        String target,
        IncidentState state,
        String requestedBy,
        String reason,
        Optional<String> fromVersion,
        Optional<String> toVersion,
        int requiredApprovals,
        Optional<String> channelId,
        Optional<String> messageTs,
        Optional<String> currentStep,
        Optional<String> detail,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<String> versionSource,
        Optional<String> fromImageId,
        Optional<String> toImageId) {

    public String ref() {
        return "INC-" + id;
    }

    /** Run time from start to finish, when it ran. */
    public Optional<Duration> runDuration() {
        return startedAt.flatMap(s -> finishedAt.map(f -> Duration.between(s, f)));
    }
}
