package dev.rollbackbot.incident;

import java.util.Optional;

/** What recording one approval did, decided inside one database transaction. */
public record ApprovalRecord(Status status, int given, Incident incident, Optional<Lease> lease) {
    public enum Status {
        /** Counted; more approvals are needed. */
        RECORDED,
        /** Counted, and it was the last one needed: the incident is now RUNNING under {@link #lease()}, to be run by this caller. */
        STARTED,
        /** This approver had already approved; nothing changed. */
        DUPLICATE,
        /** The incident is no longer waiting for approval. */
        NOT_PENDING,
        /** The approval window closed; the incident is being expired. */
        EXPIRED
    }

    static ApprovalRecord of(Status status, int given, Incident incident) {
        return new ApprovalRecord(status, given, incident, Optional.empty());
    }
}
