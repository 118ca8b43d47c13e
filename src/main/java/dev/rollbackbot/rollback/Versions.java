package dev.rollbackbot.rollback;

/** What a rollback changes: the version running now and the one it brings back, with how the latter was chosen. */
public record Versions(String current, String target, String chosenBy) {
}
