package dev.rollbackbot.slack;

import static dev.rollbackbot.incident.EventType.APPROVED;
import static dev.rollbackbot.incident.EventType.CANCELLED;
import static dev.rollbackbot.incident.EventType.DENIED;
import static dev.rollbackbot.incident.EventType.EXPIRED;
import static dev.rollbackbot.incident.EventType.FAILED;
import static dev.rollbackbot.incident.EventType.INTERRUPTED;
import static dev.rollbackbot.incident.EventType.REQUESTED;
import static dev.rollbackbot.incident.EventType.STARTED;
import static dev.rollbackbot.incident.EventType.STEP_FAILED;
import static dev.rollbackbot.incident.EventType.STEP_STARTED;
import static dev.rollbackbot.incident.EventType.STEP_SUCCEEDED;
import static dev.rollbackbot.incident.EventType.SUCCEEDED;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.docker.DockerEmergencyRollback;
import dev.rollbackbot.docker.DockerManualRollback;
import dev.rollbackbot.docker.DockerRollbacks;
import dev.rollbackbot.procedures.DatastoreChecks;
import dev.rollbackbot.procedures.ProcedureRegistry;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.validation.CheckCounter;
import dev.rollbackbot.validation.ValidateProcedure;
import dev.rollbackbot.validation.ValidationStep;
import dev.rollbackbot.validation.ValidationSuite;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents in every state, with the plans and timelines the bot really produces for them (step titles and details
 * as the Docker procedures, ContainerSwap and RollbackRunner word them; the plans come from the procedures themselves). Fixed instants only: nothing reads a clock.
 */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-29T03:02:11Z");
    static final String REQUESTER = "U0ONCALL";
    static final String LEAD = "U0LEAD";
    static final String LEAD2 = "U0LEAD2";
    static final String APPROVERS = "<@U0LEAD>, <@U0LEAD2>, <!subteam^S0SRE>";
    static final String SERVICE = "api-prod";
    static final String OLD = "registry.example.com/shop/api:2.3.1";
    static final String NEW = "registry.example.com/shop/api:2.3.0";
    static final String REASON = "checkout 500s after the 2.3.1 deploy";
    static final String HEALTH = "http://api-prod:8080/health";
    /** The configuration the fixtures' plans come from: their step titles are the real procedures' own. */
    static final BotConfig CONFIG = ConfigLoader.parse("fixtures.yml", """
            slack: {channel: C0OPS}
            services:
              api-prod:
                platform: docker
                container: api-prod
                health-url: %s
                ready-timeout: 60s
                depends-on: [orders-db, cache]
            datastores:
              orders-db: {type: postgres, host: db.internal, port: 5432, database: orders, user: app}
              cache: {type: redis, container: cache}
            """.formatted(HEALTH));
    private static final DockerRollbacks DOCKER = new DockerRollbacks(CONFIG, null, null, null);
    private static final ValidationStep VALIDATION = new ValidationStep(CONFIG, new ValidationSuite(null, null, null,
            CheckCounter.NONE, null, ValidationSuite.BOUND));
    /** Plans as the bot makes them: through the registry, which ends every plan with the validation. */
    private static final ProcedureRegistry PLANS = new ProcedureRegistry(CONFIG, List.of(new DockerManualRollback(DOCKER),
            new DockerEmergencyRollback(DOCKER, new DatastoreChecks(CONFIG, null)),
            new ValidateProcedure(TargetType.DOCKER_CONTAINER, CONFIG, VALIDATION, s -> OLD)), VALIDATION);
    static final List<String> EMERGENCY_PLAN = PLANS.plan(inc(41, RollbackKind.EMERGENCY).build()).titles();
    static final String VERIFY = EMERGENCY_PLAN.get(EMERGENCY_PLAN.size() - 2);
    static final String VALIDATE = EMERGENCY_PLAN.get(EMERGENCY_PLAN.size() - 1);
    /** The validation's detail as ValidationSuite's Report words it for api-prod (orders-db, cache; no endpoints, no min-tables). */
    static final String CHECKS_PASSED = "4 passed, 0 failed, 2 skipped in 340 ms"
            + "\n[passed] api-prod, health URL answers 200: " + HEALTH + " answered 200 (12 ms)"
            + "\n[passed] orders-db, PostgreSQL accepts connections: PostgreSQL at db.internal:5432 accepts connections (database orders) (41 ms)"
            + "\n[passed] cache, Redis answers PONG: redis-cli ping in cache: PONG (320 ms)"
            + "\n[skipped] api-prod, every endpoint answers 200: no endpoints configured (services.api-prod.endpoints)"
            + "\n[passed] api-prod, health URL answers within max-response-time: " + HEALTH + " answered in 9 ms (max-response-time 2s) (9 ms)"
            + "\n[skipped] orders-db, at least min-tables tables: min-tables is not set (datastores.orders-db.min-tables)";
    static final String CHECKS_FAILED = "validation of api-prod failed 1 of 6 checks (redis cache); 3 passed, 1 failed, 2 skipped in 3.0 s"
            + "\n[passed] api-prod, health URL answers 200: " + HEALTH + " answered 200 (12 ms)"
            + "\n[passed] orders-db, PostgreSQL accepts connections: PostgreSQL at db.internal:5432 accepts connections (database orders) (41 ms)"
            + "\n[failed] cache, Redis answers PONG: container cache is not running (exited). Restart cache (container cache) and check it"
            + " answers PONG (30 ms)"
            + "\n[skipped] api-prod, every endpoint answers 200: no endpoints configured (services.api-prod.endpoints)"
            + "\n[passed] api-prod, health URL answers within max-response-time: " + HEALTH + " answered in 9 ms (max-response-time 2s) (9 ms)"
            + "\n[skipped] orders-db, at least min-tables tables: min-tables is not set (datastores.orders-db.min-tables)";
    static final String RECOVERY = recoveryTitle();
    static final String SIGTERM = "the bot was stopped during step 2 (" + EMERGENCY_PLAN.get(1) + ")."
            + " Check the service before running the rollback again.";
    static final String UNHEALTHY = "api-prod on " + NEW + " did not answer 200 at " + HEALTH
            + " within 1m (12 checks; last: HTTP 503).";

    private Fixtures() {
    }

    static List<String> manualPlan(long id) {
        return PLANS.plan(inc(id, RollbackKind.MANUAL).build()).titles();
    }

    /** The title ContainerSwap gives its put-back, once the old container was touched. */
    private static String recoveryTitle() {
        var swap = new DockerManualRollback(DOCKER).plan(inc(45, RollbackKind.MANUAL).build()).recovery();
        swap.resumeFrom("old=0ld;new=n3w;touched=true");
        return swap.afterFailure().orElseThrow().title();
    }

    /** What ContainerSwap says when it has stopped the old container and kept it. */
    static String stopped(long id) {
        return "prepared the replacement from " + NEW + " with the running container's settings, then stopped api-prod ("
                + OLD + ", was running) and kept it as api-prod-before-inc-" + id + "; the replacement is named api-prod now";
    }

    /** Every card state, in the order of an incident's life; the key names the golden file. */
    static Map<String, CardView> cards() {
        Map<String, CardView> m = new LinkedHashMap<>();
        m.put("pending-emergency", pendingEmergency());
        m.put("pending-data", pendingData());
        m.put("pending-manual-with-warnings", pendingManualWithWarnings());
        m.put("running-opened-by-the-monitor", runningOpenedByTheMonitor());
        m.put("pending-prepared", pendingPrepared());
        m.put("pending-prepare-failed", pendingPrepareFailed());
        m.put("running", running());
        m.put("succeeded", succeeded());
        m.put("failed-with-recovery", failedWithRecovery());
        m.put("denied", denied());
        m.put("expired", expired());
        m.put("cancelled", cancelled());
        m.put("interrupted", interrupted());
        return m;
    }

    /** The cards of {@code /rollback validate}: kept apart, as a validation is no rollback (history, status). */
    static Map<String, CardView> validationCards() {
        Map<String, CardView> m = new LinkedHashMap<>();
        m.put("validate-succeeded", validateSucceeded());
        m.put("validate-failed", validateFailed());
        return m;
    }

    static CardView pendingEmergency() {
        Run r = new Run(41).requested(RollbackKind.EMERGENCY, REASON);
        return view(inc(41, RollbackKind.EMERGENCY).build(), EMERGENCY_PLAN, List.of(), r);
    }

    /** A manual rollback whose replacement cannot be given every setting: the approver reads it before clicking. */
    static CardView pendingManualWithWarnings() {
        Inc i = inc(50, RollbackKind.MANUAL);
        i.reason = "memory leak in 2.3.1";
        i.warnings = List.of("Not copied to the replacement: stop timeout 30 s: the engine API client cannot set it",
                "Not copied to the replacement: ulimit <core>=0:0 & more");
        Run r = new Run(50).requested(RollbackKind.MANUAL, i.reason);
        return view(i.build(), manualPlan(50), List.of(), r);
    }

    /** An incident the health monitor opened: no person asked, and none needs to approve. */
    static CardView runningOpenedByTheMonitor() {
        Inc i = inc(51, RollbackKind.AUTOMATED);
        i.requester = Requester.monitor("api-prod");
        i.reason = "3 failed health checks in a row";
        i.required = 0;
        i.state = IncidentState.RUNNING;
        Run r = new Run(51).event(REQUESTED, null, "by the health monitor (api-prod): automated api-prod: " + i.reason)
                .event(STARTED, null, OLD + " -> " + NEW).started(1, manualPlan(51).get(0));
        i.started = r.startedAt;
        i.currentStep = manualPlan(51).get(0);
        return view(i.build(), manualPlan(51), List.of(), r);
    }

    static final String PREPARED = "prepared the replacement from " + NEW + " with the running container's settings";
    static final String PREPARE_FAILED = "the container engine at unix:///run/podman/podman.sock refused to create"
            + " api-prod-next-inc-53 from " + NEW + ": port 8080 is not exposed by the image";

    /** A manual request whose replacement was created while the approvers read the card. */
    static CardView pendingPrepared() {
        Inc i = inc(52, RollbackKind.MANUAL);
        i.prepareState = dev.rollbackbot.incident.PrepareState.READY;
        i.prepareDetail = PREPARED;
        Run r = new Run(52).requested(RollbackKind.MANUAL, REASON).pause(1).event(EventType.PREPARED, null, PREPARED);
        return view(i.build(), manualPlan(52), List.of(), r);
    }

    /** A manual request whose replacement could not be created: the approver sees why before clicking. */
    static CardView pendingPrepareFailed() {
        Inc i = inc(53, RollbackKind.MANUAL);
        i.prepareState = dev.rollbackbot.incident.PrepareState.FAILED;
        i.prepareDetail = PREPARE_FAILED;
        Run r = new Run(53).requested(RollbackKind.MANUAL, REASON).pause(1).event(EventType.PREPARE_FAILED, null, PREPARE_FAILED);
        return view(i.build(), manualPlan(53), List.of(), r);
    }

    static CardView pendingData() {
        Inc i = inc(42, RollbackKind.DATA);
        i.target = "orders-db";
        i.reason = "migration 0042 dropped the discount column";
        i.from = "live data";
        i.to = "backup orders-2026-11-29T02-00Z.dump";
        i.required = 2;
        Run r = new Run(42).requested(RollbackKind.DATA, i.reason).pause(95).event(APPROVED, LEAD, "1 of 2");
        List<String> plan = List.of("Take a safety backup of orders-db", "Stop the writers of orders-db: api-prod, worker",
                "Restore orders-db from backup orders-2026-11-29T02-00Z.dump", "Start api-prod and worker again",
                "Check orders-db: PostgreSQL accepts connections");
        return new CardView(i.build(), plan, List.of(LEAD), r.events, APPROVERS, "PostgreSQL db.internal:5432");
    }

    static CardView running() {
        Run r = approvedEmergency(43).step(1, EMERGENCY_PLAN.get(0), 10_400,
                stopped(43))
                .started(2, EMERGENCY_PLAN.get(1))
                .progress(2, EMERGENCY_PLAN.get(1), 400, "2/3 pods ready (2 updated, 2 available, 1 old still running)");
        Inc i = inc(43, RollbackKind.EMERGENCY);
        i.state = IncidentState.RUNNING;
        i.started = r.startedAt;
        i.currentStep = EMERGENCY_PLAN.get(1);
        return view(i.build(), EMERGENCY_PLAN, List.of(LEAD), r);
    }

    static CardView succeeded() {
        Run r = approvedEmergency(44)
                .step(1, EMERGENCY_PLAN.get(0), 10_400, stopped(44))
                .step(2, EMERGENCY_PLAN.get(1), 1_800, "started api-prod on " + NEW)
                .step(3, EMERGENCY_PLAN.get(2), 120, "PostgreSQL at db.internal:5432 accepts connections (database orders)")
                .step(4, EMERGENCY_PLAN.get(3), 40, "redis-cli ping in cache: PONG")
                .step(5, VERIFY, 35_200, "healthy: " + HEALTH + " answered 200 after 35 s (8 checks);"
                        + " removed the old container api-prod-before-inc-44")
                .step(6, VALIDATE, 340, CHECKS_PASSED);
        String total = "done in " + Durations.human(Duration.between(r.startedAt, r.now));
        r.event(SUCCEEDED, null, total);
        Inc i = inc(44, RollbackKind.EMERGENCY);
        i.state = IncidentState.SUCCEEDED;
        i.started = r.startedAt;
        i.finished = r.now;
        i.detail = total;
        return view(i.build(), EMERGENCY_PLAN, List.of(LEAD), r);
    }

    static CardView failedWithRecovery() {
        List<String> plan = manualPlan(45);
        String failure = "step 3 (" + VERIFY + ") failed: " + UNHEALTHY;
        Run r = new Run(45).requested(RollbackKind.MANUAL, "memory leak in 2.3.1").pause(40).event(APPROVED, LEAD, "1 of 1")
                .event(STARTED, null, OLD + " -> " + NEW)
                .step(1, plan.get(0), 10_100, stopped(45))
                .step(2, plan.get(1), 1_700, "started api-prod on " + NEW)
                .started(3, plan.get(2)).end(STEP_FAILED, 3, plan.get(2), 60_200, UNHEALTHY)
                .step(plan.size() + 1, RECOVERY, 4_200, "api-prod runs " + OLD + " again and answers 200 at " + HEALTH);
        r.event(FAILED, null, failure);
        Inc i = inc(45, RollbackKind.MANUAL);
        i.reason = "memory leak in 2.3.1";
        i.state = IncidentState.FAILED;
        i.started = r.startedAt;
        i.finished = r.now;
        i.detail = failure;
        return view(i.build(), plan, List.of(LEAD), r);
    }

    static CardView denied() {
        Run r = new Run(46).requested(RollbackKind.MANUAL, "").pause(200).event(DENIED, LEAD2, null);
        Inc i = inc(46, RollbackKind.MANUAL);
        i.reason = "";
        i.state = IncidentState.DENIED;
        i.finished = r.now;
        i.detail = "denied by " + LEAD2;
        return view(i.build(), manualPlan(46), List.of(), r);
    }

    static CardView expired() {
        Run r = new Run(47).requested(RollbackKind.EMERGENCY, REASON).pause(900).event(EXPIRED, null, "no approval within 15m");
        Inc i = inc(47, RollbackKind.EMERGENCY);
        i.state = IncidentState.EXPIRED;
        i.finished = r.now;
        i.detail = "no approval within 15m";
        return view(i.build(), EMERGENCY_PLAN, List.of(), r);
    }

    static CardView cancelled() {
        Run r = new Run(48).requested(RollbackKind.MANUAL, "wrong service, sorry").pause(30).event(CANCELLED, REQUESTER, null);
        Inc i = inc(48, RollbackKind.MANUAL);
        i.reason = "wrong service, sorry";
        i.state = IncidentState.CANCELLED;
        i.finished = r.now;
        i.detail = "cancelled by " + REQUESTER;
        return view(i.build(), manualPlan(48), List.of(), r);
    }

    static CardView interrupted() {
        Run r = approvedEmergency(49).step(1, EMERGENCY_PLAN.get(0), 10_400,
                stopped(49))
                .started(2, EMERGENCY_PLAN.get(1)).pause(30).event(INTERRUPTED, null, SIGTERM);
        Inc i = inc(49, RollbackKind.EMERGENCY);
        i.state = IncidentState.INTERRUPTED;
        i.started = r.startedAt;
        i.finished = r.now;
        i.detail = SIGTERM;
        return view(i.build(), EMERGENCY_PLAN, List.of(LEAD), r);
    }

    /** {@code /rollback validate api-prod}: no approval, one step, nothing changed. */
    static CardView validateSucceeded() {
        return validate(54, 340, CHECKS_PASSED, STEP_SUCCEEDED, SUCCEEDED, "done in 341 ms", IncidentState.SUCCEEDED);
    }

    /** A validation whose Redis does not answer: FAILED, with every line, and nobody paged. */
    static CardView validateFailed() {
        String plan = PLANS.plan(inc(55, RollbackKind.VALIDATE).build()).titles().get(0);
        return validate(55, 3_000, CHECKS_FAILED, STEP_FAILED, FAILED, "step 1 (" + plan + ") failed: " + CHECKS_FAILED,
                IncidentState.FAILED);
    }

    private static CardView validate(long id, long millis, String detail, EventType stepEnd, EventType end, String outcome,
            IncidentState state) {
        List<String> plan = PLANS.plan(inc(id, RollbackKind.VALIDATE).build()).titles();
        Run r = new Run(id).requested(RollbackKind.VALIDATE, "").event(STARTED, null, OLD + " -> " + OLD)
                .started(1, plan.get(0)).end(stepEnd, 1, plan.get(0), millis, detail).event(end, null, outcome);
        Inc i = inc(id, RollbackKind.VALIDATE);
        i.reason = "";
        i.to = OLD;
        i.state = state;
        i.started = r.startedAt;
        i.finished = r.now;
        i.detail = outcome;
        return view(i.build(), plan, List.of(), r);
    }

    static Run approvedEmergency(long id) {
        return new Run(id).requested(RollbackKind.EMERGENCY, REASON).pause(40).event(APPROVED, LEAD, "1 of 1")
                .event(STARTED, null, OLD + " -> " + NEW);
    }

    static CardView view(Incident inc, List<String> plan, List<String> approvedBy, Run r) {
        return new CardView(inc, plan, approvedBy, r.events, APPROVERS, "container " + inc.target());
    }

    static Inc inc(long id, RollbackKind kind) {
        Inc i = new Inc();
        i.id = id;
        i.kind = kind;
        i.required = kind.defaultApprovals();
        return i;
    }

    /** A mutable stand-in for the 17 fields of {@link Incident}, defaulting to a fresh emergency request. */
    static final class Inc {
        long id;
        RollbackKind kind;
        String target = SERVICE;
        IncidentState state = IncidentState.PENDING;
        String requestedBy = REQUESTER;
        String reason = REASON;
        String from = OLD;
        String to = NEW;
        int required;
        String currentStep;
        String detail;
        Instant created = T0;
        Instant started;
        Instant finished;
        List<String> warnings = List.of();
        Requester requester;
        dev.rollbackbot.incident.PrepareState prepareState;
        String prepareDetail;

        Incident build() {
            return new Incident(id, kind, target, state, requester != null ? requester : Requester.person(requestedBy), reason, Optional.ofNullable(from), Optional.ofNullable(to),
                    required, Optional.of("C0OPS"), Optional.of("1764385331.000100"), Optional.ofNullable(currentStep),
                    Optional.ofNullable(detail), created, Optional.of(created.plus(Duration.ofMinutes(15))),
                    Optional.ofNullable(started), Optional.ofNullable(finished), Optional.of(VersionChoice.HISTORY),
                    Optional.empty(), Optional.empty(), warnings, Optional.empty(), Optional.ofNullable(prepareState), Optional.ofNullable(prepareDetail));
        }
    }

    /** A timeline written as it happens: each event at the current instant, which moves on by the given pauses. */
    static final class Run {
        final long id;
        final List<TimelineEvent> events = new ArrayList<>();
        Instant now = T0;
        Instant startedAt;
        private Instant stepStart;

        Run(long id) {
            this.id = id;
        }

        Run requested(RollbackKind kind, String reason) {
            return event(REQUESTED, REQUESTER, kind.word() + " " + (kind == RollbackKind.DATA ? "orders-db" : SERVICE)
                    + (reason.isEmpty() ? "" : ": " + reason));
        }

        Run pause(long seconds) {
            now = now.plusSeconds(seconds);
            return this;
        }

        Run event(EventType type, String actor, String detail) {
            if (type == STARTED) {
                startedAt = now;
            }
            events.add(TimelineEvent.of(id, now, type, actor, detail));
            return this;
        }

        Run started(int no, String title) {
            stepStart = now;
            events.add(TimelineEvent.step(id, now, STEP_STARTED, no, title, null, null));
            return this;
        }

        /** How the running step is going, {@code millis} after it started. */
        Run progress(int no, String title, long millis, String detail) {
            events.add(TimelineEvent.step(id, stepStart.plusMillis(millis), EventType.STEP_PROGRESS, no, title, null, detail));
            return this;
        }

        Run end(EventType type, int no, String title, long millis, String detail) {
            now = stepStart.plusMillis(millis);
            events.add(TimelineEvent.step(id, now, type, no, title, Duration.ofMillis(millis), detail));
            return this;
        }

        /** A step that starts now and succeeds after {@code millis}. */
        Run step(int no, String title, long millis, String detail) {
            return started(no, title).end(STEP_SUCCEEDED, no, title, millis, detail);
        }
    }
}
