package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.testing.FakeEngine.Op;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What a run does from Approve to the old container's stop without losing a check: it resumes from the preparation's
 * checkpoint without looking anything up, and the step's lookups begun ahead (while the start is recorded) are checked
 * exactly as if the step had made them.
 */
class SwapReadAheadTest extends SwapTestBase {
    /** The run's swap, built on Approve from what the preparation saved. */
    private ContainerSwap approved() {
        String prepared = checkpoints.get(checkpoints.size() - 1);
        ContainerSwap run = swap();
        run.resumePrepared(prepared);
        return run;
    }

    @Test
    void aRunUsesItsPreparedReplacementWithOneRoundOfLookupsBegunAhead() throws Exception {
        swap().prepare();
        engine.clearEvents();

        ContainerSwap run = approved();
        assertThat(engine.events()).as("resuming from the preparation looks nothing up").isEmpty();
        run.readAhead();
        assertThat(run.stopCurrent()).startsWith("used the replacement prepared while the approval waited");
        run.startTarget();

        assertThat(engine.events(Op.INSPECT_CONTAINER)).as("the service, the kept name, the replacement: once each").hasSize(3);
        assertThat(engine.events(Op.CREATE_LIKE)).isEmpty();
        assertThat(engine.runningImage("api")).contains(V1);
    }

    @Test
    void aKeptNameTakenSinceThePreparationIsStillRefusedBeforeAnythingIsTouched() throws Exception {
        swap().prepare();
        engine.addContainer("api-before-inc-7", V2, false); // left by someone, after the card was prepared

        ContainerSwap run = approved();
        run.readAhead();
        assertThatThrownBy(run::stopCurrent).isInstanceOf(StepFailure.class).hasMessageContaining("api-before-inc-7 already exists");

        assertThat(engine.byId(oldId)).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo("api");
            assertThat(c.running()).isTrue();
        });
    }

    @Test
    void aTagMovedBeforeTheReadAheadIsCaughtByItsCheck() throws Exception {
        swap().prepare();
        ContainerSwap run = approved();
        engine.tag(engine.addImage(Instant.parse("2026-11-25T00:00:00Z")), V1);
        run.readAhead();

        assertThatThrownBy(run::stopCurrent).isInstanceOf(StepFailure.class).hasMessageContaining("the tag was moved");
        assertThat(engine.changeLog()).noneMatch(e -> e.contains(oldId));
    }

    @Test
    void aCheckpointThatIsNotAPreparationsIsResumedAsAfterATakeOver() throws Exception {
        ContainerSwap first = swap();
        first.stopCurrent(); // the old container is renamed and stopped: this checkpoint is past any preparation
        health.healthyWhenRunning(V2);

        ContainerSwap again = approved();
        assertThat(again.afterFailure()).as("it knows the old container was touched").isPresent();
        assertThat(again.afterFailure().orElseThrow().run()).contains("runs " + V2 + " again");
        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(oldId));
    }
}
