package dev.rollbackbot.core;

import java.util.Optional;

/**
 * What a rollback changes: the version running now and the one it brings back, how the latter was chosen, and the
 * pins both resolved to when planned (so a moved tag or a changed Deployment is noticed before anything runs).
 */
public record ChosenVersions(String current, String target, VersionChoice choice, Optional<Pin> currentPin,
        Optional<Pin> targetPin) {
}
