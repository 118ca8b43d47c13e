package dev.rollbackbot.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.incident.ApprovalRecord.Status;
import dev.rollbackbot.incident.DeploymentHistory.Deployment;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.store.StoreException;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The incident store, timeline, deployment history and delivery log against a real database. One database per
 * concrete class (H2 in {@code H2IncidentStoreTest}, PostgreSQL in {@code PostgresIncidentStoreIT}), migrated once;
 * the tables are emptied before each test. All times are fixed instants: nothing waits on the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractIncidentStoreTest {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final int THREADS = 8;

    private TestDatabase testDatabase;
    Database database;
    Jdbc jdbc;
    IncidentStore store;
    Timeline timeline;
    DeploymentHistory history;
    DeliveryLog deliveries;
    RunLeases leases;

    /** A fresh, empty database for this class; closing it removes it. */
    protected abstract TestDatabase createDatabase();

    @BeforeAll
    void openDatabase() {
        testDatabase = createDatabase();
        database = Database.open(testDatabase.url(), testDatabase.user(), testDatabase.password());
        jdbc = database.jdbc();
        store = new IncidentStore(jdbc);
        timeline = new Timeline(jdbc);
        history = new DeploymentHistory(jdbc);
        deliveries = new DeliveryLog(jdbc);
        leases = new RunLeases(jdbc);
    }

    @AfterAll
    void closeDatabase() {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (testDatabase != null) {
                testDatabase.close();
            }
        }
    }

    @BeforeEach
    void emptyTables() {
        // children before parents: approvals and events reference incidents
        for (String table : List.of("target_locks", "approvals", "incident_events", "incidents", "deployments", "deliveries")) {
            jdbc.update("delete from " + table);
        }
    }

    static Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static NewIncident request(String target) {
        return request(target, 0, at(60 * 24 * 365));
    }

    static NewIncident request(String target, int requiredApprovals, Instant expiresAt) {
        return new NewIncident(RollbackKind.MANUAL, target, List.of(target), Requester.person("U_REQ"), "error rate up after deploy",
                "C_OPS", requiredApprovals, expiresAt);
    }

    static ChosenVersions versions(String from, String to) {
        return new ChosenVersions(from, to, VersionChoice.HISTORY, Optional.of(new Pin("sha256:" + from.hashCode())),
                Optional.of(new Pin("sha256:" + to.hashCode())));
    }

    Incident pending(String target, int requiredApprovals, Instant expiresAt) {
        Incident inc = store.create(request(target, requiredApprovals, expiresAt), T0);
        store.plan(inc.id(), versions("v2", "v1"), List.of(), requiredApprovals);
        return store.find(inc.id()).orElseThrow();
    }

    Incident running(String target, String owner, Instant startedAt) {
        Incident inc = store.create(request(target), T0);
        assertThat(store.start(inc.id(), owner, startedAt)).isPresent();
        return store.find(inc.id()).orElseThrow();
    }

    /** The lease a running incident is held under now. */
    Lease lease(Incident inc) {
        return jdbc.queryOne("select owner, lease_epoch from incidents where id = ?",
                rs -> new Lease(inc.id(), rs.getString(1), rs.getLong(2)), inc.id()).orElseThrow();
    }

    /** Ends a running incident through its current lease. */
    boolean finishRun(Incident inc, IncidentState to, Instant at, String detail) {
        return leases.finish(lease(inc), to, at, detail);
    }

    /** The database's clock, in epoch milliseconds: heartbeats are written in it. */
    long dbNow() {
        return new dev.rollbackbot.store.DatabaseClock(jdbc).now().toEpochMilli();
    }

    Incident reload(Incident inc) {
        return store.find(inc.id()).orElseThrow();
    }

    String ownerOf(long id) {
        return jdbc.queryOne("select owner from incidents where id = ?", rs -> rs.getString(1), id).orElse(null);
    }

    Optional<Long> heartbeatOf(long id) {
        return jdbc.queryOne("select heartbeat_at from incidents where id = ?", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, id);
    }

    long count(String table) {
        return jdbc.queryOne("select count(*) from " + table, rs -> rs.getLong(1)).orElseThrow();
    }

    /** {@code delegate}, calling {@code hook} with the SQL of each statement before it is prepared. */
    static DataSource beforeEachStatement(DataSource delegate, Consumer<String> hook) {
        InvocationHandler connections = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                Connection c = (Connection) invoke(delegate, method, args);
                return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (p, m, a) -> {
                            if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql) {
                                hook.accept(sql);
                            }
                            return invoke(c, m, a);
                        });
            }
            return invoke(delegate, method, args);
        };
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                connections);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What one of the racing threads got: a value or the exception it threw. */
    record Outcome<T>(int thread, T value, Throwable error) {
    }

    /**
     * Runs {@code n} tasks at once: every thread is started and parked on a gate, then the gate opens, so the
     * database sees the calls as close together as the machine allows.
     */
    static <T> List<Outcome<T>> race(int n, IntFunction<Callable<T>> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return work.call();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            gate.countDown();
            List<Outcome<T>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                try {
                    out.add(new Outcome<>(i, futures.get(i).get(30, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome<>(i, null, e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("thread " + i + " did not finish within 30s (deadlock?)", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- Create
    @Test
    void returnsAPendingIncidentWithAnIncRef() {
        Incident inc = store.create(request("payments"), T0);

        assertThat(inc.id()).isPositive();
        assertThat(inc.ref()).isEqualTo("INC-" + inc.id()).matches("INC-\\d+");
        assertThat(inc.state()).isEqualTo(IncidentState.PENDING);
        assertThat(inc.kind()).isEqualTo(RollbackKind.MANUAL);
        assertThat(inc.target()).isEqualTo("payments");
        assertThat(inc.requestedBy()).isEqualTo("U_REQ");
        assertThat(inc.reason()).isEqualTo("error rate up after deploy");
        assertThat(inc.channelId()).contains("C_OPS");
        assertThat(inc.createdAt()).isEqualTo(T0);
        assertThat(inc.requiredApprovals()).isZero();
        assertThat(inc.fromVersion()).isEmpty();
        assertThat(inc.toVersion()).isEmpty();
        assertThat(inc.messageTs()).isEmpty();
        assertThat(inc.currentStep()).isEmpty();
        assertThat(inc.detail()).isEmpty();
        assertThat(inc.expiresAt()).contains(at(60 * 24 * 365));
        assertThat(inc.startedAt()).isEmpty();
        assertThat(inc.finishedAt()).isEmpty();
        assertThat(inc.runDuration()).isEmpty();
        assertThat(store.find(inc.id())).contains(inc);
        assertThat(store.activeFor("payments")).contains(inc);
    }

    @Test
    void idsGrow() {
        Incident a = store.create(request("a"), T0);
        Incident b = store.create(request("b"), T0);

        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(b.ref()).isNotEqualTo(a.ref());
    }

    @Test
    void planAndMessageAreStored() {
        Incident inc = store.create(request("payments", 2, at(15)), T0);

        store.plan(inc.id(), versions("registry/pay:2.4.1", "registry/pay:2.4.0"), List.of(), 2);
        store.attachMessage(inc.id(), "C_OTHER", "1700000000.000100");

        Incident stored = reload(inc);
        assertThat(stored.fromVersion()).contains("registry/pay:2.4.1");
        assertThat(stored.toVersion()).contains("registry/pay:2.4.0");
        assertThat(stored.requiredApprovals()).isEqualTo(2);
        assertThat(stored.expiresAt()).contains(at(15));
        assertThat(stored.channelId()).contains("C_OTHER");
        assertThat(stored.messageTs()).contains("1700000000.000100");
        assertThat(stored.versionChoice()).contains(VersionChoice.HISTORY);
        assertThat(stored.fromPin()).contains(new Pin("sha256:" + "registry/pay:2.4.1".hashCode()));
        assertThat(stored.state()).isEqualTo(IncidentState.PENDING);
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
        assertThat(store.find(987_654_321L)).isEmpty();
        assertThat(store.activeFor("nothing-here")).isEmpty();
    }

    @Test
    void secondCreateWhilePendingThrowsTargetBusyWithThePendingIncident() {
        Incident first = store.create(request("payments"), T0);

        assertThatThrownBy(() -> store.create(request("payments"), at(1)))
                .isInstanceOfSatisfying(TargetBusyException.class, e -> {
                    assertThat(e.running()).isEqualTo(first);
                    assertThat(e.getMessage()).contains("payments").contains(first.ref());
                });
        assertThat(count("incidents")).isEqualTo(1);
    }

    @Test
    void secondCreateWhileRunningThrowsTargetBusyWithTheRunningIncident() {
        Incident first = running("payments", "replica-a", at(1));

        assertThatThrownBy(() -> store.create(request("payments"), at(2)))
                .isInstanceOfSatisfying(TargetBusyException.class, e -> {
                    assertThat(e.running().id()).isEqualTo(first.id());
                    assertThat(e.running().state()).isEqualTo(IncidentState.RUNNING);
                });
    }

    @Test
    void otherTargetsAreNotBusy() {
        store.create(request("payments"), T0);

        Incident other = store.create(request("search"), T0);

        assertThat(other.state()).isEqualTo(IncidentState.PENDING);
        assertThat(store.active()).extracting(Incident::target).containsExactly("payments", "search");
    }

    @ParameterizedTest
    @EnumSource(value = IncidentState.class, names = {"SUCCEEDED", "FAILED", "INTERRUPTED"})
    void afterARunEndsTheTargetIsFreeAgain(IncidentState end) {
        Incident first = running("payments", "replica-a", at(1));
        assertThat(leases.currentStep(lease(first), "swap containers")).isTrue();

        assertThat(finishRun(first, end, at(3), "done: " + end)).isTrue();

        Incident ended = reload(first);
        assertThat(ended.state()).isEqualTo(end);
        assertThat(ended.finishedAt()).contains(at(3));
        assertThat(ended.runDuration()).contains(Duration.ofMinutes(2));
        assertThat(ended.currentStep()).isEmpty();
        assertThat(ended.detail()).contains("done: " + end);
        assertThat(store.activeFor("payments")).isEmpty();

        Incident second = store.create(request("payments"), at(4));
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(store.activeFor("payments")).contains(second);
    }

    @ParameterizedTest
    @EnumSource(value = IncidentState.class, names = {"DENIED", "EXPIRED", "CANCELLED", "REFUSED"})
    void afterAPendingIncidentEndsTheTargetIsFreeAgain(IncidentState end) {
        Incident first = pending("payments", 1, at(15));

        assertThat(store.finish(first.id(), IncidentState.PENDING, end, at(3), null)).isTrue();

        Incident ended = reload(first);
        assertThat(ended.state()).isEqualTo(end);
        assertThat(ended.finishedAt()).contains(at(3));
        assertThat(ended.startedAt()).isEmpty();
        assertThat(ended.runDuration()).isEmpty();
        assertThat(ended.detail()).isEmpty();
        assertThat(store.activeFor("payments")).isEmpty();
        assertThat(store.create(request("payments"), at(4)).state()).isEqualTo(IncidentState.PENDING);
    }

    @Test
    @Timeout(60)
    void concurrentCreatesForOneTargetHaveExactlyOneWinner() throws Exception {
        List<Outcome<Incident>> outcomes = race(THREADS, i -> () -> store.create(
                new NewIncident(RollbackKind.MANUAL, "payments", List.of("payments"), Requester.person("U" + i), "race " + i, "C_OPS", 1,
                        at(30)), T0));

        List<Incident> winners = outcomes.stream().filter(o -> o.error() == null).map(Outcome::value).toList();
        assertThat(winners).hasSize(1);
        Incident winner = winners.get(0);
        assertThat(outcomes.stream().filter(o -> o.error() != null).map(Outcome::error))
                .hasSize(THREADS - 1)
                .allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(TargetBusyException.class,
                        busy -> assertThat(busy.running().id()).isEqualTo(winner.id())));
        assertThat(count("incidents")).isEqualTo(1);
        assertThat(store.activeFor("payments")).contains(winner);
    }

    @Test
    @Timeout(60)
    void concurrentCreatesForDifferentTargetsAllWin() throws Exception {
        List<Outcome<Incident>> outcomes = race(THREADS, i -> () -> store.create(request("svc-" + i), T0));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(store.active()).hasSize(THREADS);
    }

    @Test
    void createRetriesWhenTheHolderEndsBetweenTheConflictAndTheLookUp() {
        Incident holder = store.create(request("payments"), T0);
        // another replica finishes the holder right after our insert hit the unique index, before we look it up
        AtomicBoolean once = new AtomicBoolean();
        DataSource racing = beforeEachStatement(database.dataSource(), sql -> {
            if (sql.contains("from target_locks where target = ?") && once.compareAndSet(false, true)) {
                assertThat(store.finish(holder.id(), IncidentState.PENDING, IncidentState.CANCELLED, at(1), null)).isTrue();
            }
        });
        IncidentStore racingStore = new IncidentStore(new Jdbc(racing));

        Incident next = racingStore.create(request("payments"), at(1));

        assertThat(once).isTrue();
        assertThat(next.id()).isGreaterThan(holder.id());
        assertThat(next.state()).isEqualTo(IncidentState.PENDING);
        assertThat(store.activeFor("payments")).contains(next);
    }

    // ---- StartAndFinish
    @Test
    void startMovesAPendingIncidentToRunningOnce() {
        Incident inc = store.create(request("payments"), T0);

        assertThat(store.start(inc.id(), "replica-a", at(1))).isPresent();
        assertThat(store.start(inc.id(), "replica-b", at(2))).isEmpty();

        Incident stored = reload(inc);
        assertThat(stored.state()).isEqualTo(IncidentState.RUNNING);
        assertThat(stored.startedAt()).contains(at(1));
        assertThat(ownerOf(inc.id())).isEqualTo("replica-a");
        assertFreshHeartbeat(inc.id());
        assertThat(store.activeFor("payments")).contains(stored);
    }

    @Test
    void finishIsConditionalOnTheCurrentState() {
        Incident inc = running("payments", "replica-a", at(1));

        assertThat(finishRun(inc, IncidentState.SUCCEEDED, at(5), "ok")).isTrue();
        // the same transition again (a second replica, a retried call): lost
        assertThat(finishRun(inc, IncidentState.FAILED, at(6), "late")).isFalse();
        assertThat(finishRun(inc, IncidentState.SUCCEEDED, at(6), "again")).isFalse();
        // from a state it is not in
        assertThat(store.finish(inc.id(), IncidentState.PENDING, IncidentState.CANCELLED, at(6), "cancel")).isFalse();

        Incident stored = reload(inc);
        assertThat(stored.state()).isEqualTo(IncidentState.SUCCEEDED);
        assertThat(stored.finishedAt()).contains(at(5));
        assertThat(stored.detail()).contains("ok");
    }

    @Test
    void finishFromTheWrongStateChangesNothing() {
        Incident inc = pending("payments", 1, at(15));

        assertThat(finishRun(inc, IncidentState.SUCCEEDED, at(2), "no")).isFalse();

        Incident stored = reload(inc);
        assertThat(stored).isEqualTo(inc);
        assertThat(store.activeFor("payments")).contains(inc);
        assertThatThrownBy(() -> store.create(request("payments"), at(3))).isInstanceOf(TargetBusyException.class);
    }

    @Test
    void finishKeepsAnOverlongDetailCutToTheColumn() {
        Incident inc = running("payments", "replica-a", at(1));
        String detail = "step 2 (swap containers) failed: " + "engine said no. ".repeat(1_000);

        assertThat(finishRun(inc, IncidentState.FAILED, at(2), detail)).isTrue();

        Incident stored = reload(inc);
        assertThat(stored.state()).isEqualTo(IncidentState.FAILED);
        assertThat(store.activeFor("payments")).isEmpty();
        assertThat(stored.detail().orElseThrow()).hasSize(4000).startsWith("step 2 (swap containers) failed: engine")
                .endsWith("…");
    }

    @Test
    void finishOfAnUnknownIncidentIsFalse() {
        assertThat(store.finish(987_654_321L, IncidentState.PENDING, IncidentState.CANCELLED, T0, null)).isFalse();
    }

    @Test
    void pendingIncidentsCanBeCancelledButNotStartedAfterwards() {
        Incident inc = store.create(request("payments"), T0);

        assertThat(store.finish(inc.id(), IncidentState.PENDING, IncidentState.CANCELLED, at(1), "by U_REQ")).isTrue();
        assertThat(store.start(inc.id(), "replica-a", at(2))).isEmpty();

        assertThat(reload(inc).state()).isEqualTo(IncidentState.CANCELLED);
        assertThat(reload(inc).startedAt()).isEmpty();
    }

    @Test
    @Timeout(60)
    void concurrentFinishesHaveExactlyOneWinner() throws Exception {
        Incident inc = running("payments", "replica-a", at(1));

        List<Outcome<Boolean>> outcomes = race(THREADS, i -> () -> finishRun(inc,
                i % 2 == 0 ? IncidentState.SUCCEEDED : IncidentState.INTERRUPTED, at(2), "thread " + i));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        List<Outcome<Boolean>> won = outcomes.stream().filter(o -> o.value()).toList();
        assertThat(won).hasSize(1);
        Incident stored = reload(inc);
        assertThat(stored.detail()).contains("thread " + won.get(0).thread());
        assertThat(stored.state()).isEqualTo(won.get(0).thread() % 2 == 0 ? IncidentState.SUCCEEDED : IncidentState.INTERRUPTED);
    }

    // ---- Approve
    @Test
    void recordsApprovalsUntilTheRequiredCountThenStartsExactlyOnce() {
        Incident inc = pending("payments", 2, at(15));

        ApprovalRecord first = store.approve(inc.id(), "U_ALICE", "replica-a", at(1));
        assertThat(first.status()).isEqualTo(Status.RECORDED);
        assertThat(first.given()).isEqualTo(1);
        assertThat(first.incident().state()).isEqualTo(IncidentState.PENDING);
        assertThat(reload(inc).state()).isEqualTo(IncidentState.PENDING);
        assertThat(reload(inc).startedAt()).isEmpty();

        ApprovalRecord second = store.approve(inc.id(), "U_BOB", "replica-b", at(2));
        assertThat(second.status()).isEqualTo(Status.STARTED);
        assertThat(second.given()).isEqualTo(2);
        assertThat(second.incident().state()).isEqualTo(IncidentState.RUNNING);
        assertThat(second.incident().startedAt()).contains(at(2));
        assertThat(second.incident()).isEqualTo(reload(inc));
        assertThat(ownerOf(inc.id())).isEqualTo("replica-b");
        assertFreshHeartbeat(inc.id());
        assertThat(second.lease()).contains(lease(inc));

        ApprovalRecord third = store.approve(inc.id(), "U_CAROL", "replica-c", at(3));
        assertThat(third.status()).isEqualTo(Status.NOT_PENDING);
        assertThat(third.given()).isEqualTo(2);
        assertThat(ownerOf(inc.id())).isEqualTo("replica-b");
        assertThat(reload(inc).startedAt()).contains(at(2));

        assertThat(store.approvers(inc.id())).containsExactly("U_ALICE", "U_BOB");
    }

    @Test
    void oneRequiredApprovalStartsAtOnce() {
        Incident inc = pending("payments", 1, at(15));

        ApprovalRecord r = store.approve(inc.id(), "U_ALICE", "replica-a", at(1));

        assertThat(r.status()).isEqualTo(Status.STARTED);
        assertThat(r.given()).isEqualTo(1);
        assertThat(r.incident().state()).isEqualTo(IncidentState.RUNNING);
        assertThat(r.incident().startedAt()).contains(at(1));
    }

    @Test
    void theSameApproverCountsOnce() {
        Incident inc = pending("payments", 2, at(15));

        assertThat(store.approve(inc.id(), "U_ALICE", "replica-a", at(1)).status()).isEqualTo(Status.RECORDED);
        ApprovalRecord again = store.approve(inc.id(), "U_ALICE", "replica-b", at(2));

        assertThat(again.status()).isEqualTo(Status.DUPLICATE);
        assertThat(again.given()).isEqualTo(1);
        assertThat(again.incident().state()).isEqualTo(IncidentState.PENDING);
        assertThat(store.approvers(inc.id())).containsExactly("U_ALICE");
        assertThat(reload(inc).state()).isEqualTo(IncidentState.PENDING);

        assertThat(store.approve(inc.id(), "U_BOB", "replica-b", at(3)).status()).isEqualTo(Status.STARTED);
    }

    @Test
    void afterTheIncidentEndedApprovalsAreNotPending() {
        Incident inc = pending("payments", 1, at(15));
        assertThat(store.finish(inc.id(), IncidentState.PENDING, IncidentState.DENIED, at(1), "no")).isTrue();

        ApprovalRecord r = store.approve(inc.id(), "U_ALICE", "replica-a", at(2));

        assertThat(r.status()).isEqualTo(Status.NOT_PENDING);
        assertThat(r.given()).isZero();
        assertThat(r.incident().state()).isEqualTo(IncidentState.DENIED);
        assertThat(store.approvers(inc.id())).isEmpty();
        assertThat(reload(inc).state()).isEqualTo(IncidentState.DENIED);
        assertThat(reload(inc).startedAt()).isEmpty();
    }

    @Test
    void approvalsAtOrAfterExpiryAreExpiredAndNotCounted() {
        Incident inc = pending("payments", 2, at(10));

        ApprovalRecord before = store.approve(inc.id(), "U_ALICE", "replica-a", at(10).minusMillis(1));
        ApprovalRecord exactly = store.approve(inc.id(), "U_BOB", "replica-a", at(10));
        ApprovalRecord after = store.approve(inc.id(), "U_CAROL", "replica-a", at(11));

        assertThat(before.status()).isEqualTo(Status.RECORDED);
        assertThat(exactly.status()).isEqualTo(Status.EXPIRED);
        assertThat(exactly.given()).isEqualTo(1);
        assertThat(after.status()).isEqualTo(Status.EXPIRED);
        assertThat(store.approvers(inc.id())).containsExactly("U_ALICE");
        assertThat(reload(inc).state()).isEqualTo(IncidentState.PENDING);
    }

    @Test
    void approvingAnUnknownIncidentFails() {
        assertThatThrownBy(() -> store.approve(987_654_321L, "U_ALICE", "replica-a", T0))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("987654321");
    }

    @RepeatedTest(3)
    @Timeout(60)
    void concurrentApproversOfAOneApprovalIncidentStartItExactlyOnce() throws Exception {
        Incident inc = pending("payments", 1, at(15));

        List<Outcome<ApprovalRecord>> outcomes = race(THREADS,
                i -> () -> store.approve(inc.id(), "U_" + i, "replica-" + i, at(1)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("thread %s", o.thread()).isNull());
        List<Outcome<ApprovalRecord>> started = outcomes.stream()
                .filter(o -> o.value().status() == Status.STARTED).toList();
        assertThat(started).as("STARTED results").hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.value().status() != Status.STARTED)
                .hasSize(THREADS - 1)
                .allSatisfy(o -> assertThat(o.value().status()).isEqualTo(Status.NOT_PENDING));
        int winner = started.get(0).thread();
        assertThat(store.approvers(inc.id())).containsExactly("U_" + winner);
        assertThat(ownerOf(inc.id())).isEqualTo("replica-" + winner);
        Incident stored = reload(inc);
        assertThat(stored.state()).isEqualTo(IncidentState.RUNNING);
        assertThat(stored.startedAt()).contains(at(1));
    }

    @RepeatedTest(3)
    @Timeout(60)
    void concurrentApproversNeverCountBeyondTheRequiredNumber() throws Exception {
        Incident inc = pending("payments", 3, at(15));

        List<Outcome<ApprovalRecord>> outcomes = race(THREADS,
                i -> () -> store.approve(inc.id(), "U_" + i, "replica-" + i, at(1)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("thread %s", o.thread()).isNull());
        List<Status> statuses = outcomes.stream().map(o -> o.value().status()).toList();
        assertThat(statuses).filteredOn(s -> s == Status.RECORDED).hasSize(2);
        assertThat(statuses).filteredOn(s -> s == Status.STARTED).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == Status.NOT_PENDING).hasSize(THREADS - 3);
        assertThat(outcomes).filteredOn(o -> o.value().status() == Status.RECORDED)
                .extracting(o -> o.value().given()).containsExactlyInAnyOrder(1, 2);
        Outcome<ApprovalRecord> starter = outcomes.stream()
                .filter(o -> o.value().status() == Status.STARTED).findFirst().orElseThrow();
        assertThat(starter.value().given()).isEqualTo(3);
        assertThat(store.approvers(inc.id())).hasSize(3).contains("U_" + starter.thread());
        assertThat(ownerOf(inc.id())).isEqualTo("replica-" + starter.thread());
        assertThat(reload(inc).state()).isEqualTo(IncidentState.RUNNING);
    }

    @Test
    @Timeout(60)
    void concurrentClicksOfOneApproverCountOnce() throws Exception {
        Incident inc = pending("payments", 2, at(15));

        List<Outcome<ApprovalRecord>> outcomes = race(THREADS,
                i -> () -> store.approve(inc.id(), "U_ALICE", "replica-" + i, at(1)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("thread %s", o.thread()).isNull());
        assertThat(outcomes).extracting(o -> o.value().status())
                .containsOnly(Status.RECORDED, Status.DUPLICATE)
                .filteredOn(s -> s == Status.RECORDED).hasSize(1);
        assertThat(store.approvers(inc.id())).containsExactly("U_ALICE");
        assertThat(reload(inc).state()).isEqualTo(IncidentState.PENDING);
    }

    // ---- Queries
    @Test
    void dueForExpiryListsPendingIncidentsWhoseWindowClosed() {
        Incident a = pending("a", 1, at(10));
        Incident b = pending("b", 1, at(20));
        store.create(request("no-expiry"), T0); // never planned: no expires_at
        Incident runningPastExpiry = pending("running", 1, at(5));
        assertThat(store.start(runningPastExpiry.id(), "replica-a", at(1))).isPresent();
        Incident cancelled = pending("cancelled", 1, at(5));
        assertThat(store.finish(cancelled.id(), IncidentState.PENDING, IncidentState.CANCELLED, at(1), null)).isTrue();

        assertThat(store.dueForExpiry(at(10).minusMillis(1))).isEmpty();
        assertThat(store.dueForExpiry(at(10))).containsExactly(a.id());
        assertThat(store.dueForExpiry(at(20))).containsExactly(a.id(), b.id());
        assertThat(store.dueForExpiry(at(60 * 24))).containsExactly(a.id(), b.id());
    }

    void assertFreshHeartbeat(long id) {
        assertThat(heartbeatOf(id)).as("heartbeat in the database's clock").hasValueSatisfying(h ->
                assertThat(h).isBetween(dbNow() - 60_000, dbNow() + 1_000));
    }

    void heartbeatAgo(Incident inc, Duration ago) {
        jdbc.update("update incidents set heartbeat_at = ? where id = ?", dbNow() - ago.toMillis(), inc.id());
    }

    @Test
    void silentListsRunningIncidentsWhoseHeartbeatIsOlderThanTheSilenceByTheDatabasesClock() {
        Incident a = running("a", "replica-a", at(0));
        Incident b = running("b", "replica-b", at(0));
        Incident c = running("c", "replica-c", at(0));
        store.create(request("pending"), T0);
        Incident done = running("done", "replica-a", at(0));
        assertThat(finishRun(done, IncidentState.SUCCEEDED, at(1), null)).isTrue();
        heartbeatAgo(a, Duration.ofSeconds(40));
        heartbeatAgo(b, Duration.ofSeconds(20));
        jdbc.update("update incidents set heartbeat_at = null where id = ?", c.id());
        heartbeatAgo(done, Duration.ofHours(1));

        assertThat(leases.silent(Duration.ofSeconds(30))).containsExactly(a.id(), c.id());
        assertThat(leases.silent(Duration.ofSeconds(10))).containsExactly(a.id(), b.id(), c.id());

        assertThat(leases.heartbeat(lease(a))).isTrue();
        assertThat(leases.silent(Duration.ofSeconds(10))).containsExactly(b.id(), c.id());
    }

    @Test
    void heartbeatAndCurrentStepTouchOnlyTheIncidentOfTheirLease() {
        Incident mine = running("a", "replica-a", at(0));
        Incident theirs = running("c", "replica-b", at(0));
        Incident mineDone = running("d", "replica-a", at(0));
        Lease doneLease = lease(mineDone);
        assertThat(finishRun(mineDone, IncidentState.FAILED, at(1), "boom")).isTrue();
        heartbeatAgo(mine, Duration.ofMinutes(5));
        heartbeatAgo(theirs, Duration.ofMinutes(5));
        heartbeatAgo(mineDone, Duration.ofMinutes(5));

        assertThat(leases.heartbeat(lease(mine))).isTrue();
        assertThat(leases.heartbeat(doneLease)).as("the incident has ended").isFalse();

        assertFreshHeartbeat(mine.id());
        assertThat(heartbeatOf(theirs.id()).orElseThrow()).isLessThan(dbNow() - 60_000);
        assertThat(heartbeatOf(mineDone.id()).orElseThrow()).isLessThan(dbNow() - 60_000);
        assertThat(reload(mineDone).state()).isEqualTo(IncidentState.FAILED);
    }

    @Test
    void currentStepIsShownUntilTheIncidentEnds() {
        Incident inc = running("payments", "replica-a", at(0));
        Lease l = lease(inc);

        assertThat(leases.currentStep(l, "1/3 pull image")).isTrue();
        assertThat(reload(inc).currentStep()).contains("1/3 pull image");
        assertFreshHeartbeat(inc.id());

        assertThat(leases.currentStep(l, "2/3 swap containers")).isTrue();
        assertThat(reload(inc).currentStep()).contains("2/3 swap containers");

        assertThat(leases.finish(l, IncidentState.SUCCEEDED, at(3), null)).isTrue();
        assertThat(reload(inc).currentStep()).isEmpty();
    }

    @Test
    void aRunThatLostItsIncidentIsToldSoOnEveryWrite() {
        Incident inc = running("payments", "replica-a", at(0));
        Lease mine = lease(inc);

        assertThat(leases.currentStep(new Lease(inc.id(), "replica-b", mine.epoch()), "2/3")).as("another owner").isFalse();
        assertThat(leases.currentStep(new Lease(inc.id(), "replica-a", mine.epoch() + 1), "2/3")).as("another epoch").isFalse();
        assertThat(leases.finish(mine, IncidentState.INTERRUPTED, at(2), "silent")).isTrue();
        assertThat(leases.currentStep(mine, "3/3 verify")).as("no longer running").isFalse();
        assertThat(leases.checkpoint(mine, "x")).isFalse();
        assertThat(reload(inc).currentStep()).isEmpty();
    }

    @Test
    void aTakeOverFencesTheOldOwnerAndKeepsTheTargetsUntilTheNewOwnerEndsIt() {
        Incident inc = running("payments", "replica-a", at(0));
        Lease old = lease(inc);
        assertThat(leases.checkpoint(old, "old=abc")).isTrue();

        assertThat(leases.takeOver(inc.id(), "replica-b", Duration.ofSeconds(30))).as("not silent yet").isEmpty();
        heartbeatAgo(inc, Duration.ofSeconds(31));
        Lease taken = leases.takeOver(inc.id(), "replica-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(leases.takeOver(inc.id(), "replica-c", Duration.ofSeconds(30))).as("the take-over refreshed the heartbeat").isEmpty();

        assertThat(taken.epoch()).isGreaterThan(old.epoch());
        assertThat(reload(inc).checkpoint()).contains("old=abc");
        assertThat(leases.currentStep(old, "2/3")).as("the old owner's writes are refused").isFalse();
        assertThat(leases.heartbeat(old)).isFalse();
        assertThat(leases.checkpoint(old, "old=zzz")).isFalse();
        assertThat(leases.finish(old, IncidentState.SUCCEEDED, at(2), "late")).isFalse();
        assertThat(reload(inc).state()).isEqualTo(IncidentState.RUNNING);
        assertThat(store.activeFor("payments")).as("still locked while the new owner puts things back").isPresent();
        assertThatThrownBy(() -> store.create(request("payments"), at(3))).isInstanceOf(TargetBusyException.class);

        assertThat(leases.finish(taken, IncidentState.INTERRUPTED, at(4), "put back")).isTrue();
        assertThat(store.activeFor("payments")).isEmpty();
        assertThat(reload(inc).detail()).contains("put back");
    }

    @Test
    @Timeout(60)
    void concurrentTakeOversHaveExactlyOneWinner() throws Exception {
        Incident inc = running("payments", "replica-a", at(0));
        heartbeatAgo(inc, Duration.ofMinutes(1));

        List<Outcome<Optional<Lease>>> outcomes = race(THREADS, i -> () -> leases.takeOver(inc.id(), "replica-" + i, Duration.ofSeconds(30)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(outcomes.stream().filter(o -> o.value().isPresent()).count()).isEqualTo(1);
    }

    // ---- Locks over several targets
    @Test
    void anIncidentTakesAllItsTargetsOrNone() {
        NewIncident data = new NewIncident(RollbackKind.DATA, "db-prod", List.of("db-prod", "api-prod", "worker-prod"),
                Requester.person("U_REQ"), "", "C_OPS", 2, at(30));
        Incident first = store.create(data, T0);
        assertThat(store.locksOf(first.id())).containsExactly("api-prod", "db-prod", "worker-prod");
        assertThat(store.activeFor("worker-prod")).contains(first);

        assertThatThrownBy(() -> store.create(request("api-prod"), at(1)))
                .isInstanceOfSatisfying(TargetBusyException.class, e -> assertThat(e.running().id()).isEqualTo(first.id()));
        NewIncident overlapping = new NewIncident(RollbackKind.DATA, "cache", List.of("cache", "worker-prod"),
                Requester.person("U_REQ"), "", "C_OPS", 2, at(30));
        assertThatThrownBy(() -> store.create(overlapping, at(1))).isInstanceOf(TargetBusyException.class);
        assertThat(store.activeFor("cache")).as("none of a refused incident's targets is held").isEmpty();
        assertThat(count("incidents")).isEqualTo(1);

        assertThat(store.finish(first.id(), IncidentState.PENDING, IncidentState.DENIED, at(2), null)).isTrue();
        assertThat(store.locksOf(first.id())).isEmpty();
        assertThat(store.create(overlapping, at(3)).state()).isEqualTo(IncidentState.PENDING);
    }

    @Test
    void activeListsPendingAndRunningInIdOrder() {
        Incident p1 = store.create(request("a"), T0);
        Incident r = running("b", "replica-a", at(1));
        Incident ended = store.create(request("c"), T0);
        assertThat(store.finish(ended.id(), IncidentState.PENDING, IncidentState.DENIED, at(1), null)).isTrue();
        Incident p2 = store.create(request("d"), T0);

        assertThat(store.active()).extracting(Incident::id).containsExactly(p1.id(), r.id(), p2.id());
        assertThat(store.active()).extracting(Incident::state)
                .containsExactly(IncidentState.PENDING, IncidentState.RUNNING, IncidentState.PENDING);
    }

    @Test
    void activeIsEmptyWithoutIncidents() {
        assertThat(store.active()).isEmpty();
        assertThat(store.recent(Optional.empty(), 10)).isEmpty();
    }

    @Test
    void recentIsNewestFirstPerTargetAndOverall() {
        List<Long> api = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Incident inc = store.create(request("api"), at(i));
            api.add(inc.id());
            assertThat(store.finish(inc.id(), IncidentState.PENDING, IncidentState.CANCELLED, at(i), null)).isTrue();
        }
        Incident web = store.create(request("web"), at(10));
        Incident apiNow = store.create(request("api"), at(11));

        assertThat(store.recent(Optional.of("api"), 2)).extracting(Incident::id)
                .containsExactly(apiNow.id(), api.get(2));
        assertThat(store.recent(Optional.of("api"), 10)).extracting(Incident::id)
                .containsExactly(apiNow.id(), api.get(2), api.get(1), api.get(0));
        assertThat(store.recent(Optional.of("web"), 10)).extracting(Incident::id).containsExactly(web.id());
        assertThat(store.recent(Optional.of("nothing"), 10)).isEmpty();
        assertThat(store.recent(Optional.empty(), 3)).extracting(Incident::id)
                .containsExactly(apiNow.id(), web.id(), api.get(2));
        assertThat(store.recent(Optional.empty(), 100)).hasSize(5);
    }

    // ---- Timelines
    @Test
    void appendAndOfKeepOrderAndEveryField() {
        Incident inc = store.create(request("payments"), T0);
        Incident other = store.create(request("search"), T0);
        List<TimelineEvent> events = List.of(
                TimelineEvent.of(inc.id(), at(0), EventType.REQUESTED, "U_REQ", "error rate up"),
                TimelineEvent.of(inc.id(), at(1), EventType.APPROVED, "U_ALICE", null),
                TimelineEvent.of(inc.id(), at(1), EventType.STARTED, null, null),
                TimelineEvent.step(inc.id(), at(1), EventType.STEP_STARTED, 1, "pull image", null, null),
                TimelineEvent.step(inc.id(), at(2), EventType.STEP_SUCCEEDED, 1, "pull image",
                        Duration.ofMillis(61_234), "pulled registry/pay:2.4.0"),
                TimelineEvent.step(inc.id(), at(2), EventType.STEP_STARTED, 2, "swap containers", null, null),
                TimelineEvent.step(inc.id(), at(2), EventType.STEP_FAILED, 2, "swap containers", Duration.ZERO,
                        "health check failed"),
                new TimelineEvent(inc.id(), at(3), EventType.STEP_SUCCEEDED, Optional.of("U_BOT"), Optional.of(0),
                        Optional.of("step zero"), Optional.of(Duration.ofHours(25)), Optional.of("ünïcödé ✓")),
                TimelineEvent.of(inc.id(), at(3), EventType.FAILED, null, "rolled back: health check failed"));

        for (int i = 0; i < events.size(); i++) {
            timeline.append(events.get(i));
            // interleave another incident's events: they must not leak in or disturb the order
            timeline.append(TimelineEvent.of(other.id(), at(0), EventType.REQUESTED, "U_X", "other " + i));
        }

        assertThat(timeline.of(inc.id())).containsExactlyElementsOf(events);
        assertThat(timeline.of(other.id())).hasSize(events.size())
                .extracting(e -> e.detail().orElseThrow())
                .containsExactly("other 0", "other 1", "other 2", "other 3", "other 4", "other 5", "other 6",
                        "other 7", "other 8");
        List<TimelineEvent> stored = timeline.of(inc.id());
        assertThat(stored.get(3).duration()).isEmpty();
        assertThat(stored.get(3).stepNo()).contains(1);
        assertThat(stored.get(6).duration()).contains(Duration.ZERO);
        assertThat(stored.get(7).stepNo()).contains(0);
        assertThat(stored.get(2).actor()).isEmpty();
        assertThat(stored.get(2).stepNo()).isEmpty();
        assertThat(stored.get(2).stepTitle()).isEmpty();
    }

    @Test
    void ofAnIncidentWithoutEventsIsEmpty() {
        Incident inc = store.create(request("payments"), T0);

        assertThat(timeline.of(inc.id())).isEmpty();
    }

    @Test
    void anOverlongDetailIsCutToTheColumn() {
        Incident inc = store.create(request("payments"), T0);
        String detail = "x".repeat(10_000);

        timeline.append(TimelineEvent.of(inc.id(), at(1), EventType.FAILED, null, detail));

        String stored = timeline.of(inc.id()).get(0).detail().orElseThrow();
        assertThat(stored).hasSize(4000).startsWith("xxx").endsWith("x…");
    }

    // ---- Deployments
    static final String SVC = "payments";

    @Test
    void recordingTheSameVersionExtendsTheLatestEntry() {
        history.record(SVC, "v1", "sha256:aaa", at(0));
        history.record(SVC, "v1", null, at(60));

        assertThat(history.recent(SVC, 10)).containsExactly(
                new Deployment(SVC, "v1", Optional.of("sha256:aaa"), at(0), at(60)));

        history.record(SVC, "v1", "sha256:bbb", at(120));

        assertThat(history.recent(SVC, 10)).containsExactly(
                new Deployment(SVC, "v1", Optional.of("sha256:bbb"), at(0), at(120)));
    }

    @Test
    void aNewVersionStartsANewEntry() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v1", null, at(5));
        history.record(SVC, "v2", "sha256:bbb", at(10));
        history.record(SVC, "v2", null, at(15));

        assertThat(history.recent(SVC, 10)).containsExactly(
                new Deployment(SVC, "v2", Optional.of("sha256:bbb"), at(10), at(15)),
                new Deployment(SVC, "v1", Optional.empty(), at(0), at(5)));
        assertThat(history.recent(SVC, 1)).extracting(Deployment::version).containsExactly("v2");
    }

    @Test
    void goingBackToAnOldVersionStartsANewEntryAndLeavesTheOldOneAlone() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v2", null, at(10));
        history.record(SVC, "v1", null, at(20));
        history.record(SVC, "v1", null, at(30));

        assertThat(history.recent(SVC, 10)).containsExactly(
                new Deployment(SVC, "v1", Optional.empty(), at(20), at(30)),
                new Deployment(SVC, "v2", Optional.empty(), at(10), at(10)),
                new Deployment(SVC, "v1", Optional.empty(), at(0), at(0)));
    }

    @Test
    void servicesHaveSeparateHistories() {
        history.record(SVC, "v1", null, at(0));
        history.record("search", "s1", null, at(1));
        history.record(SVC, "v1", null, at(2));
        history.record("search", "s2", null, at(3));

        assertThat(history.recent(SVC, 10)).containsExactly(
                new Deployment(SVC, "v1", Optional.empty(), at(0), at(2)));
        assertThat(history.recent("search", 10)).extracting(Deployment::version).containsExactly("s2", "s1");
        assertThat(history.recent("unknown", 10)).isEmpty();
    }

    @Test
    void versionBeforeTheLatest() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v2", null, at(10));

        assertThat(history.versionBefore(SVC, "v2")).contains("v1");
    }

    @Test
    void versionBeforeAfterGoingBack() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v2", null, at(10));
        history.record(SVC, "v1", null, at(20));

        assertThat(history.versionBefore(SVC, "v1")).contains("v2");
        assertThat(history.versionBefore(SVC, "v2")).contains("v1");
    }

    @Test
    void versionBeforeAnOlderCurrentVersion() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v2", null, at(10));
        history.record(SVC, "v3", null, at(20));

        assertThat(history.versionBefore(SVC, "v2")).contains("v1");
        assertThat(history.versionBefore(SVC, "v3")).contains("v2");
        assertThat(history.versionBefore(SVC, "v1")).isEmpty();
    }

    @Test
    void versionBeforeWithOnlyTheCurrentVersionIsEmpty() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v1", null, at(10));

        assertThat(history.versionBefore(SVC, "v1")).isEmpty();
    }

    @Test
    void versionBeforeAnUnknownCurrentVersionIsEmpty() {
        history.record(SVC, "v1", null, at(0));
        history.record(SVC, "v2", null, at(10));

        assertThat(history.versionBefore(SVC, "v9")).isEmpty();
        assertThat(history.versionBefore("unknown", "v1")).isEmpty();
    }

    @Test
    void versionBeforeIgnoresOtherServices() {
        history.record(SVC, "v1", null, at(0));
        history.record("search", "v0", null, at(5));
        history.record(SVC, "v2", null, at(10));

        assertThat(history.versionBefore(SVC, "v2")).contains("v1");
        assertThat(history.versionBefore("search", "v0")).isEmpty();
    }

    // ---- Deliveries
    @Test
    void firstTimeIsTrueOnceThenFalse() {
        assertThat(deliveries.firstTime("trigger:123", at(0))).isTrue();
        assertThat(deliveries.firstTime("trigger:123", at(0))).isFalse();
        assertThat(deliveries.firstTime("trigger:123", at(5))).isFalse();
        assertThat(deliveries.firstTime("event:Ev123", at(0))).isTrue();
    }

    @Test
    void forgetOlderThanDropsOnlyEntriesOlderThanTheAge() {
        deliveries.firstTime("old", at(0));
        deliveries.firstTime("edge", at(60));
        deliveries.firstTime("new", at(90));

        assertThat(deliveries.forgetOlderThan(at(120), Duration.ofHours(1))).isEqualTo(1);
        assertThat(deliveries.forgetOlderThan(at(120), Duration.ofHours(1))).isZero();

        assertThat(deliveries.firstTime("old", at(121))).as("forgotten, so new again").isTrue();
        assertThat(deliveries.firstTime("edge", at(121))).as("exactly the age old: kept").isFalse();
        assertThat(deliveries.firstTime("new", at(121))).isFalse();
    }

    @RepeatedTest(3)
    @Timeout(60)
    void concurrentDeliveriesOfOneKeyAreFirstExactlyOnce() throws Exception {
        List<Outcome<Boolean>> outcomes = race(THREADS, i -> () -> deliveries.firstTime("trigger:race", at(0)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("thread %s", o.thread()).isNull());
        assertThat(outcomes).filteredOn(Outcome::value).hasSize(1);
        assertThat(count("deliveries")).isEqualTo(1);
    }
}
