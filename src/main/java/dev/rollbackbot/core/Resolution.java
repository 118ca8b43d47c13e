package dev.rollbackbot.core;

import java.util.List;

/**
 * What planning found: the concrete versions and pins, and warnings the approver should read before clicking
 * (e.g. container settings the replacement cannot be given). Plain text.
 */
public record Resolution(ChosenVersions versions, List<String> warnings) {
    public Resolution {
        warnings = List.copyOf(warnings);
    }

    public static Resolution of(ChosenVersions versions) {
        return new Resolution(versions, List.of());
    }
}
