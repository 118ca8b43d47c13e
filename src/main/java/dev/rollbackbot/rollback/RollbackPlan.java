package dev.rollbackbot.rollback;

import java.util.List;
import java.util.function.Supplier;

/**
 * The steps of one rollback, with the concrete versions in their titles, and what to do if it ends badly.
 * {@code figures} adds to the outcome of a successful run what only the procedure knows (a restore's data-loss window).
 */
public record RollbackPlan(List<Step> steps, Recovery recovery, Supplier<String> figures) {
    public RollbackPlan {
        steps = List.copyOf(steps);
    }

    public RollbackPlan(List<Step> steps, Recovery recovery) {
        this(steps, recovery, () -> "");
    }

    /** The same plan with {@code last} as its last step. */
    public RollbackPlan then(Step last) {
        List<Step> all = new java.util.ArrayList<>(steps);
        all.add(last);
        return new RollbackPlan(all, recovery, figures);
    }

    public List<String> titles() {
        return steps.stream().map(Step::title).toList();
    }
}
