package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.testing.FakeEngine;
import dev.rollbackbot.testing.FakeEngine.Op;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a run does from Approve to the old container's stop without losing a check: it resumes from the preparation's
 * checkpoint without looking anything up, and the step's lookups begun ahead (while the start is recorded) are checked
 * exactly as if the step had made them.
 */
class SwapReadAheadTest {
    private static final String V1 = "registry/api:1.0";
    private static final String V2 = "registry/api:2.0";

    private FakeEngine engine;
    private FakeEngine.HealthEndpoint health;
    private String oldId;
    private String v1Id;
    private String v2Id;
    private final List<String> checkpoints = new ArrayList<>();

    @BeforeEach
    void start() {
        engine = new FakeEngine();
        v1Id = engine.addImage(Instant.parse("2026-11-01T00:00:00Z"), V1);
        v2Id = engine.addImage(Instant.parse("2026-11-20T00:00:00Z"), V2);
        oldId = engine.addContainer("api", V2, true);
        health = engine.healthEndpoint("api", V1);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private ContainerSwap swap() {
        ServiceConfig s = ConfigLoader.parse("swap.yml", """
                slack: {channel: C0OPS}
                services:
                  api: {platform: docker, container: api, health-url: %s, ready-timeout: 2s}
                """.formatted(health.url())).service("api").orElseThrow();
        ContainerSwap swap = new ContainerSwap(engine, new HttpHealthCheck(Clock.systemUTC()), s, "INC-7",
                new ContainerSwap.Target(V2, Optional.of(new Pin(v2Id)), V1, Optional.of(new Pin(v1Id))), () -> { });
        swap.checkpointTo(checkpoints::add);
        return swap;
    }

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
