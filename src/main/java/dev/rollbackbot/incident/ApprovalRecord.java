package dev.rollbackbot.incident;

/** What recording one approval did, decided inside one database transaction. */
public record ApprovalRecord(Status status, int given, Incident incident) {
    public enum Status {
        /** Counted; more approvals are needed. */
        RECORDED,
        /** Counted, and it was the last one needed: the incident is now RUNNING and this caller must run it. */
        STARTED,
        /** This approver had already approved; nothing changed. */
        DUPLICATE,
        /** The incident is no longer waiting for approval. */
        NOT_PENDING,
        /** The approval window closed; the incident is being expired. */
        EXPIRED
    }
}
