package dev.rollbackbot.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.RunLeases;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.ScriptedPlanner.ScriptedRecovery;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's safety promises, on a real (H2) database, with procedures scripted by the test: what a run records
 * when an interrupt comes late, what it does when it loses its lease, what a replica that takes a silent run over
 * does, and that shutdown waits for put-backs.
 */
class RollbackRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestDatabases.TestDatabase testDb;
    private Database db;
    private Jdbc jdbc;
    private IncidentStore store;
    private RunLeases leases;
    private Timeline timeline;
    private ScriptedPlanner planner;
    private Preparations preparations;
    private RollbackService replicaA;
    private RollbackRunner runnerA;
    private RollbackService replicaB;
    private RollbackRunner runnerB;
    private final CountDownLatch released = new CountDownLatch(1);

    @BeforeEach
    void start() {
        testDb = TestDatabases.h2();
        db = Database.open(testDb.url(), testDb.user(), testDb.password());
        jdbc = db.jdbc();
        store = new IncidentStore(jdbc);
        leases = new RunLeases(jdbc);
        timeline = new Timeline(jdbc);
        planner = new ScriptedPlanner(inc -> new RollbackPlan(List.of(), Recovery.NOTHING));
        var events = new IncidentEvents(timeline);
        preparations = new Preparations(store, events, planner, Clock.systemUTC());
        runnerA = new RollbackRunner(store, leases, events, planner, preparations, Clock.systemUTC(), "replica-a");
        replicaA = service(runnerA);
        runnerB = new RollbackRunner(store, leases, events, planner, preparations, Clock.systemUTC(), "replica-b");
        replicaB = service(runnerB);
    }

    private RollbackService service(RollbackRunner runner) {
        var settings = new ApprovalSettings(List.of(), Map.of(RollbackKind.MANUAL, 0), false, Duration.ofMinutes(30));
        return new RollbackService(store, leases, new IncidentEvents(timeline), planner,
                new ApprovalPolicy(settings, group -> java.util.Set.of()), settings, runner,
                (inc, channel) -> new IncidentBoard.Posted(channel, "1700000000.0001"), preparations, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        released.countDown();
        runnerA.shutdown(Duration.ofSeconds(5));
        runnerB.shutdown(Duration.ofSeconds(5));
        db.close();
        testDb.close();
    }

    /** Opens an incident that needs no approval, so replica A starts it at once. */
    private Incident openOnA() {
        return replicaA.open(new RollbackRequest(RollbackKind.MANUAL, "api-prod", Optional.empty(), Optional.empty(), "",
                Requester.person("U0DEV"), "C0OPS"));
    }

    private Incident awaitState(long id, IncidentState state) {
        return await().atMost(WAIT).until(() -> store.find(id).orElseThrow(), i -> i.state() == state);
    }

    private List<EventType> types(long id) {
        return timeline.of(id).stream().map(TimelineEvent::type).toList();
    }

    private void silence(long id) {
        jdbc.update("update incidents set heartbeat_at = heartbeat_at - 60000 where id = ?", id);
    }

    private static void park(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the test never released the step");
        }
    }

    @Test
    void anInterruptThatArrivesAfterTheLastStepSucceededRecordsSucceeded() {
        planner.script(inc -> new RollbackPlan(List.of(Step.of("Switch", true, () -> {
            Thread.currentThread().interrupt(); // shutdown's interrupt lands just as the last step returns
            return "switched";
        })), Recovery.NOTHING));

        Incident inc = openOnA();

        Incident done = awaitState(inc.id(), IncidentState.SUCCEEDED);
        assertThat(done.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("done in"));
        assertThat(types(inc.id())).endsWith(EventType.STEP_SUCCEEDED, EventType.SUCCEEDED).doesNotContain(EventType.INTERRUPTED);
    }

    @Test
    void eachStepsReadsBeginAfterTheStepBeforeItEndedAndAFailedReadAheadIsLeftToTheStep() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        planner.script(inc -> new RollbackPlan(List.of(
                Step.of("Stop", true, () -> {
                    seen.add("ran 1");
                    return "stopped";
                }).readingAhead(() -> seen.add("read 1")),
                Step.of("Start", true, () -> {
                    seen.add("ran 2");
                    return "started";
                }).readingAhead(() -> {
                    seen.add("read 2");
                    throw new IllegalStateException("engine hiccup");
                })), Recovery.NOTHING));

        Incident inc = openOnA();

        awaitState(inc.id(), IncidentState.SUCCEEDED);
        assertThat(seen).as("a step's reads never begin before the step before it changed what it changes")
                .containsExactly("read 1", "ran 1", "read 2", "ran 2");
        assertThat(types(inc.id())).endsWith(EventType.STEP_STARTED, EventType.STEP_SUCCEEDED, EventType.STEP_STARTED,
                EventType.STEP_SUCCEEDED, EventType.SUCCEEDED);
    }

    @Test
    void theFirstStepsReadsBeginAtTheApproveClickBeforeTheApprovalIsRecordedAndChangeNothingUntilItIs() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var settings = new ApprovalSettings(List.of("U0LEAD"), Map.of(RollbackKind.MANUAL, 1), false, Duration.ofMinutes(30));
        RollbackService withApproval = new RollbackService(store, leases, new IncidentEvents(timeline), planner,
                new ApprovalPolicy(settings, group -> java.util.Set.of()), settings, runnerA,
                (inc, channel) -> new IncidentBoard.Posted(channel, "1700000000.0001"), preparations, Clock.systemUTC());
        planner.script(inc -> new RollbackPlan(List.of(Step.of("Switch", true, () -> {
            seen.add("ran while " + store.find(inc.id()).orElseThrow().state());
            return "switched";
        }).readingAhead(() -> seen.add("read while " + store.find(inc.id()).orElseThrow().state()))), Recovery.NOTHING));
        Incident inc = withApproval.open(new RollbackRequest(RollbackKind.MANUAL, "api-prod", Optional.empty(),
                Optional.empty(), "", Requester.person("U0DEV"), "C0OPS"));
        await().atMost(WAIT).until(() -> store.find(inc.id()).orElseThrow().prepareState().isPresent());

        withApproval.approve(inc.id(), "U0OTHER"); // not an approver: nothing is read for a click that cannot start it
        assertThat(seen).isEmpty();
        withApproval.approve(inc.id(), "U0LEAD");

        awaitState(inc.id(), IncidentState.SUCCEEDED);
        assertThat(seen).containsExactly("read while PENDING", "ran while RUNNING");
    }

    @Test
    void aPlanBegunAtTheClickIsTakenOnceAndNotWhenThePreparationChangedSince() {
        var settings = new ApprovalSettings(List.of("U0LEAD"), Map.of(RollbackKind.MANUAL, 1), false, Duration.ofMinutes(30));
        RollbackService withApproval = new RollbackService(store, leases, new IncidentEvents(timeline), planner,
                new ApprovalPolicy(settings, group -> java.util.Set.of()), settings, runnerA,
                (inc, channel) -> new IncidentBoard.Posted(channel, "1700000000.0001"), preparations, Clock.systemUTC());
        Incident opened = withApproval.open(new RollbackRequest(RollbackKind.MANUAL, "api-prod", Optional.empty(),
                Optional.empty(), "", Requester.person("U0DEV"), "C0OPS"));
        Incident pending = await().atMost(WAIT).until(() -> store.find(opened.id()).orElseThrow(), i -> i.prepareState().isPresent());
        EarlyPlans early = new EarlyPlans(planner);

        early.begin(pending);
        assertThat(early.take(pending)).as("the same preparation").isPresent();
        assertThat(early.take(pending)).as("taken once").isEmpty();

        early.begin(pending);
        jdbc.update("update incidents set checkpoint = ? where id = ?", "new=another-replacement", pending.id());
        assertThat(early.take(store.find(pending.id()).orElseThrow())).as("prepared again since the click").isEmpty();
    }

    @Test
    void aStepNeverWaitsForItsStartToBeRecordedAndTheOutcomeComesAfterEveryLine() throws Exception {
        CountDownLatch recordingHeld = new CountDownLatch(1);
        CountDownLatch stepRan = new CountDownLatch(1);
        IncidentEvents slowEvents = new IncidentEvents(timeline);
        slowEvents.addListener(e -> {
            if (e.type() == EventType.STARTED) {
                recordingHeld.countDown();
                try {
                    park(released); // a database or a listener that is slow right when the run starts
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RollbackRunner runner = new RollbackRunner(store, leases, slowEvents, planner, preparations, Clock.systemUTC(), "replica-c");
        try {
            planner.script(inc -> new RollbackPlan(List.of(Step.of("Switch", true, () -> {
                stepRan.countDown();
                return "switched";
            })), Recovery.NOTHING));
            Incident inc = service(runner).open(new RollbackRequest(RollbackKind.MANUAL, "api-prod", Optional.empty(),
                    Optional.empty(), "", Requester.person("U0DEV"), "C0OPS"));

            assertThat(recordingHeld.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(stepRan.await(20, TimeUnit.SECONDS)).as("the step ran while its run's start was still being recorded").isTrue();
            assertThat(store.find(inc.id()).orElseThrow().state()).as("no outcome before every earlier line")
                    .isEqualTo(IncidentState.RUNNING);

            released.countDown();
            awaitState(inc.id(), IncidentState.SUCCEEDED);
            assertThat(types(inc.id())).endsWith(EventType.STARTED, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                    EventType.SUCCEEDED);
        } finally {
            released.countDown();
            runner.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRunThatLosesItsLeaseMidStepStillPutsBackWhatTheStepChanged() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        AtomicInteger putBacks = new AtomicInteger();
        ScriptedRecovery recovery = new ScriptedRecovery(() -> {
            putBacks.incrementAndGet();
            return "put back";
        });
        planner.script(inc -> new RollbackPlan(List.of(
                Step.of("Stop the service", true, () -> {
                    recovery.change();
                    paused.countDown();
                    park(released); // a GC pause long enough for another replica to take the incident over
                    return "stopped";
                }),
                Step.of("Start the new version", true, () -> "started")), recovery));

        Incident inc = openOnA();
        assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
        silence(inc.id());
        assertThat(leases.takeOver(inc.id(), "replica-b", Duration.ofSeconds(30))).isPresent();
        released.countDown();

        await().atMost(WAIT).until(() -> putBacks.get() == 1);
        await().atMost(WAIT).until(() -> types(inc.id()).contains(EventType.STEP_SUCCEEDED)
                && types(inc.id()).get(types(inc.id()).size() - 1) == EventType.STEP_SUCCEEDED);
        assertThat(recovery.changed).isFalse();
        assertThat(types(inc.id())).containsSubsequence(EventType.STEP_SUCCEEDED, EventType.LEASE_LOST, EventType.STEP_STARTED,
                EventType.STEP_SUCCEEDED);
        assertThat(timeline.of(inc.id()).stream().map(e -> e.stepTitle().orElse(""))).doesNotContain("Start the new version");
        Incident now = store.find(inc.id()).orElseThrow();
        assertThat(now.state()).as("the new owner ends it, not the one that lost the lease").isEqualTo(IncidentState.RUNNING);
        assertThat(store.activeFor("api-prod")).isPresent();
    }

    @Test
    void aReplicaThatTakesASilentRunOverPutsItBackFromTheCheckpointBeforeFreeingTheTargets() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch inPutBack = new CountDownLatch(1);
        CountDownLatch finishPutBack = new CountDownLatch(1);
        AtomicInteger putBacksOnB = new AtomicInteger();
        planner.script(inc -> {
            ScriptedRecovery r = new ScriptedRecovery(() -> "nothing");
            return new RollbackPlan(List.of(Step.of("Stop the service", true, () -> {
                r.change();
                paused.countDown();
                park(released); // replica A dies here: it never writes again until released
                return "stopped";
            })), r);
        });
        Incident inc = openOnA();
        assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(store.find(inc.id()).orElseThrow().checkpoint()).contains("changed=true");

        planner.script(taken -> {
            ScriptedRecovery r = new ScriptedRecovery(() -> {
                putBacksOnB.incrementAndGet();
                inPutBack.countDown();
                park(finishPutBack);
                return "put the old version back";
            });
            return new RollbackPlan(List.of(Step.of("Stop the service", true, () -> "never runs on B")), r);
        });
        assertThat(replicaB.takeOverSilentRuns(Duration.ofSeconds(30))).as("not silent yet").isZero();
        silence(inc.id());
        assertThat(replicaB.takeOverSilentRuns(Duration.ofSeconds(30))).isEqualTo(1);

        assertThat(inPutBack.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(store.activeFor("api-prod")).as("targets held while the put-back runs").isPresent();
        assertThat(store.find(inc.id()).orElseThrow().state()).isEqualTo(IncidentState.RUNNING);
        finishPutBack.countDown();

        Incident ended = awaitState(inc.id(), IncidentState.INTERRUPTED);
        assertThat(ended.detail()).hasValueSatisfying(d -> assertThat(d).contains("stopped answering during", "Stop the service",
                "Recovery: put the old version back"));
        assertThat(store.activeFor("api-prod")).isEmpty();
        assertThat(types(inc.id())).containsSubsequence(EventType.TAKEN_OVER, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                EventType.INTERRUPTED);

        released.countDown(); // replica A wakes up: the incident is over, so it must not touch anything
        await().atMost(WAIT).until(() -> types(inc.id()).contains(EventType.LEASE_LOST));
        TimelineEvent lost = timeline.of(inc.id()).stream().filter(e -> e.type() == EventType.LEASE_LOST).findFirst().orElseThrow();
        assertThat(lost.detail()).hasValueSatisfying(d -> assertThat(d).contains("already ended"));
        assertThat(putBacksOnB.get()).isEqualTo(1);
        assertThat(store.find(inc.id()).orElseThrow().state()).isEqualTo(IncidentState.INTERRUPTED);
    }

    @Test
    void shutdownWaitsForTheInterruptedRunToPutBackBeforeItReturns() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch inPutBack = new CountDownLatch(1);
        CountDownLatch finishPutBack = new CountDownLatch(1);
        ScriptedRecovery recovery = new ScriptedRecovery(() -> {
            inPutBack.countDown();
            park(finishPutBack);
            return "put back";
        });
        planner.script(inc -> new RollbackPlan(List.of(Step.of("Stop the service", true, () -> {
            recovery.change();
            inStep.countDown();
            park(released); // interruptible: shutdown's interrupt ends it
            return "stopped";
        })), recovery));
        Incident inc = openOnA();
        assertThat(inStep.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> runnerA.shutdown(Duration.ZERO));
        assertThat(inPutBack.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(shutdown).as("shutdown returns only after the put-back").isNotDone();
        finishPutBack.countDown();
        shutdown.get(20, TimeUnit.SECONDS);

        Incident ended = store.find(inc.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(IncidentState.INTERRUPTED);
        assertThat(ended.detail()).hasValueSatisfying(d -> assertThat(d).contains("Recovery: put back"));
        assertThat(recovery.changed).isFalse();
    }
}
