package dev.rollbackbot.rollback;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The steps of one rollback, with the concrete versions in their titles, and what puts things back when a
 * critical step fails (asked only then, since what needs undoing depends on how far the run got).
 */
public record RollbackPlan(List<Step> steps, Supplier<Optional<Step>> recovery) {
    public RollbackPlan {
        steps = List.copyOf(steps);
    }

    public List<String> titles() {
        return steps.stream().map(Step::title).toList();
    }
}
