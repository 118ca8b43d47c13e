package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.testing.FakeEngine;
import dev.rollbackbot.testing.FakeEngine.Op;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The swap's recovery branches on an in-memory engine, where faults podman cannot produce on demand are scripted:
 * an interrupt before the new version starts, a put-back that is itself unhealthy, a lease lost mid-swap, another
 * container taking the service's name, and a replica resuming from the checkpoint.
 */
class ContainerSwapTest extends SwapTestBase {
    private static String run(Optional<Step> step) throws Exception {
        return step.orElseThrow(() -> new AssertionError("no recovery step")).run();
    }

    @Test
    void aHealthySwapRunsTheApprovedImageAndRemovesTheKeptContainerById() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        swap.startTarget();
        assertThat(swap.awaitHealthy()).contains("healthy");

        assertThat(engine.runningImage("api")).contains(V1);
        assertThat(engine.byId(oldId)).isEmpty();
        assertThat(engine.events(Op.REMOVE)).allSatisfy(e -> assertThat(e.targetIsId()).isTrue());
        assertThat(swap.afterFailure()).as("nothing to put back once committed").isEmpty();
    }

    @Test
    void anInterruptBeforeTheNewVersionStartsPutsTheOldContainerBack() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        health.healthyWhenRunning(V2);

        assertThat(run(swap.afterInterruption())).contains("runs " + V2 + " again");

        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(oldId));
        assertThat(engine.runningImage("api")).contains(V2);
        assertThat(engine.containers()).hasSize(1);
        assertThat(swap.whereThingsStand()).isEmpty();
    }

    @Test
    void onceTheNewVersionStartedAnInterruptLeavesItRunningAndSaysHowToPutTheOldOneBack() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        swap.startTarget();

        assertThat(swap.afterInterruption()).isEmpty();
        assertThat(swap.whereThingsStand()).contains("api runs " + V1, "kept, stopped, as api-before-inc-7",
                "docker rename api-before-inc-7 api");
    }

    @Test
    void aPutBackThatIsItselfUnhealthySaysTheServiceIsDown() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        swap.startTarget();
        health.force(false);

        assertThatThrownBy(() -> run(swap.afterFailure())).isInstanceOf(StepFailure.class)
                .hasMessageContaining("IS DOWN and needs a person now");
        assertThat(engine.runningImage("api")).as("the old container is back even so").contains(V2);
    }

    @Test
    void thePutBackRemovesOnlyTheContainerItsRunCreatedNeverWhateverHoldsTheName() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        swap.startTarget();
        String created = engine.byName("api").orElseThrow().id();
        // someone replaces the service's container by hand while the run waits for health
        engine.remove(created);
        String theirs = engine.addContainer("api", V2, true);
        engine.clearEvents();

        assertThatThrownBy(() -> run(swap.afterFailure())).isInstanceOf(StepFailure.class)
                .hasMessageContaining("did not create").hasMessageContaining("kept, stopped, as api-before-inc-7");

        assertThat(engine.byId(theirs)).as("a container the run did not create is never removed").isPresent();
        assertThat(engine.byId(oldId)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("api-before-inc-7"));
        assertThat(engine.events(Op.REMOVE)).allSatisfy(e -> assertThat(e.target()).isEqualTo(created));
    }

    @Test
    void aLostLeaseStopsTheSwapBeforeItTouchesTheRunningContainer() throws Exception {
        ContainerSwap swap = swap();
        AtomicBoolean held = new AtomicBoolean(true);
        swap.checkpointTo(cp -> held.getAndSet(false)); // the first save (after creating) holds; the next is refused

        assertThatThrownBy(swap::stopCurrent).isInstanceOf(StepFailure.class).hasMessageContaining("lost its lease");

        assertThat(engine.byName("api")).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo(oldId);
            assertThat(c.running()).isTrue();
        });
        assertThat(engine.changeLog()).noneMatch(e -> e.contains(oldId) && (e.startsWith("rename ") || e.startsWith("stop ")));
        assertThat(run(swap.afterFailure())).contains("removed api-next-inc-7", "was not touched");
        assertThat(engine.containers()).hasSize(1);
    }

    @Test
    void aReplicaThatTakesOverPutsTheOldContainerBackFromTheCheckpoint() throws Exception {
        ContainerSwap first = swap();
        first.stopCurrent();
        first.startTarget();
        String saved = checkpoints.get(checkpoints.size() - 1);
        health.healthyWhenRunning(V2);

        ContainerSwap taker = swap(); // another replica builds the same plan and resumes from what was saved
        taker.resumeFrom(saved);
        assertThat(run(taker.afterFailure())).contains("runs " + V2 + " again");

        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(oldId));
        assertThat(engine.containers()).hasSize(1);
    }

    @Test
    void aCheckpointThatMissedTheStopIsCompletedFromTheContainerTheReplacementWasCopiedFrom() throws Exception {
        ContainerSwap first = swap();
        first.stopCurrent(); // stopped under its own name: nothing is renamed before the replacement starts
        health.healthyWhenRunning(V2);

        ContainerSwap taker = swap();
        taker.resumeFrom(checkpoints.get(0)); // only the checkpoint saved when the replacement was created reached the database
        assertThat(run(taker.afterFailure())).contains("runs " + V2 + " again");
        assertThat(engine.byName("api")).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo(oldId);
            assertThat(c.running()).isTrue();
        });
        assertThat(engine.containers()).as("the replacement is removed").hasSize(1);
    }

    @Test
    void aCheckpointThatMissedTheRenameIsCompletedFromTheKeptContainersName() throws Exception {
        engine.attach("api", "shop"); // found by name: renamed aside before the stop
        ContainerSwap first = swap();
        first.stopCurrent();
        health.healthyWhenRunning(V2);

        ContainerSwap taker = swap();
        taker.resumeFrom(""); // the replica died before any checkpoint reached the database
        assertThat(run(taker.afterFailure())).contains("runs " + V2 + " again");
        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(oldId));
    }

    @Test
    void aLostCheckpointNeverMakesATakeOverRemoveAContainerThatRuns() throws Exception {
        ContainerSwap first = swap();
        first.stopCurrent();
        first.startTarget(); // the replacement runs under the service's name: it may be serving, or someone else's
        health.healthyWhenRunning(V2);

        ContainerSwap taker = swap();
        taker.resumeFrom(""); // no checkpoint reached the database
        assertThatThrownBy(() -> run(taker.afterFailure())).isInstanceOf(StepFailure.class)
                .hasMessageContaining("now holds the name api").hasMessageContaining("kept, stopped, as api-before-inc-7");
        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
        assertThat(engine.runningImage("api")).contains(V1);
    }

    @Test
    void afterApproveOnlyTheStopAndTheStartStandBetweenTheOldVersionAndTheNewAndTheNamesFollow() throws Exception {
        ContainerSwap swap = swap();
        swap.prepare();
        engine.clearEvents();
        swap.stopCurrent();
        swap.startTarget();

        assertThat(engine.changeLog()).as("stop, start, then the names")
                .satisfiesExactly(
                        e -> assertThat(e).startsWith("stop ").contains(oldId),
                        e -> assertThat(e).startsWith("start "),
                        e -> assertThat(e).startsWith("rename ").contains(oldId).contains("api-before-inc-7"),
                        e -> assertThat(e).startsWith("rename ").contains("-> api"));
        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.image()).isEqualTo(V1));
        assertThat(engine.byName("api-before-inc-7")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(oldId));
    }

    @Test
    void aContainerFoundByNameOnItsNetworkHasItsNameBeforeItStarts() throws Exception {
        engine.attach("api", "shop"); // others on "shop" reach it as api; podman keeps a running container's old DNS name
        ContainerSwap swap = swap();
        swap.prepare();
        engine.clearEvents();
        swap.stopCurrent();
        swap.startTarget();

        List<String> log = engine.changeLog();
        int start = indexOf(log, "start ");
        assertThat(log.subList(0, start)).as("both renames come before the start: " + log)
                .filteredOn(e -> e.startsWith("rename ")).hasSize(2);
        assertThat(log.subList(start, log.size())).noneMatch(e -> e.startsWith("rename "));
        assertThat(engine.byName("api")).hasValueSatisfying(c -> assertThat(c.image()).isEqualTo(V1));
    }

    @Test
    void aRenameThatFailsAfterTheStartIsPutBackAndAnInterruptionThenSaysWhichContainerIsWhich() throws Exception {
        ContainerSwap swap = swap();
        swap.stopCurrent();
        engine.failNext(Op.RENAME, "database is locked");

        assertThatThrownBy(swap::startTarget).hasMessageContaining("database is locked");
        assertThat(swap.whereThingsStand()).as("the names were not swapped yet")
                .contains("runs as the container api-next-inc-7", "under the name api", "docker rm -f api-next-inc-7 && docker start api");

        health.healthyWhenRunning(V2);
        assertThat(run(swap.afterFailure())).contains("runs " + V2 + " again");
        assertThat(engine.byName("api")).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo(oldId);
            assertThat(c.running()).isTrue();
        });
        assertThat(engine.containers()).hasSize(1);
    }

    private static int indexOf(List<String> log, String op) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(op)) {
                return i;
            }
        }
        throw new AssertionError("no " + op + " in " + log);
    }

    @Test
    void aTagMovedSinceApprovalChangesNothing() {
        engine.tag(engine.addImage(Instant.parse("2026-11-25T00:00:00Z")), V1);

        assertThatThrownBy(() -> swap().stopCurrent()).isInstanceOf(StepFailure.class).hasMessageContaining("the tag was moved");
        assertThat(engine.changes()).isEmpty();
    }

    @Test
    void aTagMovedBetweenTheCheckAndTheCreateIsCaughtByTheApprovedImageId() throws Exception {
        FakeEngine.Block create = engine.blockNext(Op.CREATE_LIKE);
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return swap().stopCurrent();
            } catch (RuntimeException e) {
                return "refused: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
        create.awaitBlocked();
        engine.tag(engine.addImage(Instant.parse("2026-11-25T00:00:00Z")), V1); // someone re-tags 1.0 right now
        create.release();

        assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS)).startsWith("refused: ").contains("moved");
        assertThat(engine.changes()).as("nothing created, renamed or stopped")
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(FakeEngine.Outcome.REFUSED));
        assertThat(engine.containers()).hasSize(1);
        assertThat(engine.runningImage("api")).contains(V2);
    }
}
