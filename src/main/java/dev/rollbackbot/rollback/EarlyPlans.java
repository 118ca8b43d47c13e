package dev.rollbackbot.rollback;

import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.PrepareState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans made when an approver clicks Approve, before the approval is recorded: the plan is built from what was
 * prepared while the approval waited, and its first step's reads (for Docker, the pin checks' engine lookups) begin
 * at once, so they overlap the approval's transaction and the hand-over to the run's thread. Reads only: nothing is
 * changed before the approval is recorded, and the step checks what they found as if it had looked itself. The run
 * takes the plan only if the preparation it was built from is still the incident's; otherwise it plans again.
 */
final class EarlyPlans {
    private static final Logger log = LoggerFactory.getLogger(EarlyPlans.class);

    private record Early(RollbackPlan plan, Optional<String> preparedFrom) {
    }

    private final Planner planner;
    private final Map<Long, Early> plans = new ConcurrentHashMap<>();

    EarlyPlans(Planner planner) {
        this.planner = planner;
    }

    /** For a pending incident whose preparation is done (one that is still preparing is planned by its run). */
    void begin(Incident pending) {
        if (pending.prepareState().filter(s -> s == PrepareState.READY).isEmpty() || plans.containsKey(pending.id())) {
            return;
        }
        try {
            RollbackPlan plan = planner.plan(pending);
            pending.checkpoint().ifPresent(plan.recovery()::resumePrepared);
            if (!plan.steps().isEmpty()) {
                StepRecorder.readAhead(plan.steps().get(0), pending.id());
            }
            plans.put(pending.id(), new Early(plan, pending.checkpoint()));
        } catch (RuntimeException e) {
            log.info("{}: could not plan ahead of the approval ({}); the run plans when it starts", pending.ref(), e.toString());
        }
    }

    /** The plan begun for {@code settled}, if its preparation is unchanged; it is taken once. */
    Optional<RollbackPlan> take(Incident settled) {
        Early e = plans.remove(settled.id());
        return e != null && e.preparedFrom().equals(settled.checkpoint()) ? Optional.of(e.plan()) : Optional.empty();
    }

    /** The click did not start the run (an approval still missing, refused, expired). */
    void drop(long id) {
        plans.remove(id);
    }
}
