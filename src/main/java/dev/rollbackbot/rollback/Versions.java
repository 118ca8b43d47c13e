package dev.rollbackbot.rollback;


import java.util.Optional;

/**
 * What a rollback changes: the version running now and the one it brings back, how the latter was chosen, and the
 * image ids both resolved to when planned (so a moved tag is noticed before anything runs).
 */
public record Versions(String current, String target, String chosenBy, Optional<String> currentImageId,
        Optional<String> targetImageId) {
}
