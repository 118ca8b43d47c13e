package dev.rollbackbot.rollback;

/**
 * What a procedure did while the approval waited, changing nothing that serves traffic: a line for the card, and the
 * checkpoint the run (or a replica cleaning up) resumes from to find it.
 */
public record Prepared(String detail, String checkpoint) {
}
