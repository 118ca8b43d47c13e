package dev.rollbackbot.validation;

/** Where each check's result is counted ({@code rollback_validation_checks_total}); drills apart from real runs. */
@FunctionalInterface
public interface CheckCounter {
    void count(CheckResult result, boolean drill);

    CheckCounter NONE = (r, drill) -> {
    };
}
