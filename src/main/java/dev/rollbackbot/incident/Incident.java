package dev.rollbackbot.incident;

import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One request and everything that happened to it, as stored. */
public record Incident(
        long id,
        RollbackKind kind,
        String target,
        IncidentState state,
        Requester requester,
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
        Optional<VersionChoice> versionChoice,
        Optional<Pin> fromPin,
        Optional<Pin> toPin,
        List<String> warnings,
        Optional<String> checkpoint,
        Optional<PrepareState> prepareState,
        Optional<String> prepareDetail) {

    public Incident {
        warnings = List.copyOf(warnings);
    }

    public String ref() {
        return "INC-" + id;
    }

    /** The requester's id: a Slack user id for a person. */
    public String requestedBy() {
        return requester.id();
    }

    /** Run time from start to finish, when it ran. */
    public Optional<Duration> runDuration() {
        return startedAt.flatMap(s -> finishedAt.map(f -> Duration.between(s, f)));
    }
}
