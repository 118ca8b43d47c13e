package dev.rollbackbot.core;

import java.util.Arrays;
import java.util.Optional;

/** The procedures of the runbook, each with the word a user types for it. */
public enum RollbackKind {
    AUTOMATED("automated", 0),
    MANUAL("manual", 1),
    EMERGENCY("emergency", 1),
    BLUE_GREEN("blue-green", 1),
    DATA("data", 2),
    VALIDATE("validate", 0),
    DRILL("drill", 1);

    private final String word;
    private final int defaultApprovals;

    RollbackKind(String word, int defaultApprovals) {
        this.word = word;
        this.defaultApprovals = defaultApprovals;
    }

    public String word() {
        return word;
    }

    public int defaultApprovals() {
        return defaultApprovals;
    }

    /**
     * True when a successful rollback of this kind leaves a version behind because it was bad, so that version is
     * never chosen again as "previous". A drill's versions were not bad; validation and blue-green change no version.
     */
    public boolean leavesABadVersion() {
        return this == MANUAL || this == EMERGENCY || this == AUTOMATED;
    }

    public static Optional<RollbackKind> fromWord(String word) {
        return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst();
    }
}
