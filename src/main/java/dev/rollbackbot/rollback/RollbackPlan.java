package dev.rollbackbot.rollback;

import java.util.List;

/** The steps of one rollback, with the concrete versions in their titles, and what to do if it ends badly. */
public record RollbackPlan(List<Step> steps, Recovery recovery) {
    public RollbackPlan {
        steps = List.copyOf(steps);
    }

    public List<String> titles() {
        return steps.stream().map(Step::title).toList();
    }
}
