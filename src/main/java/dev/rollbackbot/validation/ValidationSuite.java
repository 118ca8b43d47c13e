package dev.rollbackbot.validation;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.data.PgClient;
import dev.rollbackbot.health.DatastoreProbe;
import dev.rollbackbot.health.HttpHealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The runbook's six checks ({@code rollback-validation.sh}) on a {@link Scope}: health URL 200, PostgreSQL accepts
 * connections, Redis PONG, every endpoint 200, health URL within {@code max-response-time}, at least {@code min-tables}
 * tables. Every check runs at once, each bounded by {@code bound}; one with nothing to check is a skipped line saying
 * why, never a silent pass. Each result is counted.
 */
public final class ValidationSuite {
    /** How long one check may take (a health URL that hangs, a datastore that does not answer). */
    public static final Duration BOUND = Duration.ofSeconds(10);

    private final ServiceChecks services;
    private final DataChecks datastores;
    private final CheckCounter counter;
    private final Clock clock;
    private final Duration bound;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "validation-check");
        t.setDaemon(true);
        return t;
    });

    public ValidationSuite(HttpHealthCheck http, DatastoreProbe probe, Function<DatastoreConfig, PgClient> pg, CheckCounter counter,
            Clock clock, Duration bound) {
        this.services = new ServiceChecks(http);
        this.datastores = new DataChecks(probe, pg, clock);
        this.counter = counter;
        this.clock = clock;
        this.bound = bound;
    }

    /** Runs every check of {@code scope} at once; the lines in the runbook's order. */
    public Report run(Scope scope, boolean drill) throws InterruptedException {
        Instant start = clock.instant();
        List<Pending> pending = new ArrayList<>();
        for (ServiceConfig s : scope.services()) {
            pending.add(submit(Check.HEALTH, s.name(), () -> services.health(s, bound)));
        }
        readiness(scope, DatastoreType.POSTGRES, Check.POSTGRES, pending);
        readiness(scope, DatastoreType.REDIS, Check.REDIS, pending);
        for (ServiceConfig s : scope.services()) {
            pending.add(submit(Check.ENDPOINTS, s.name(), () -> services.endpoints(s, bound)));
        }
        for (ServiceConfig s : scope.services()) {
            pending.add(submit(Check.RESPONSE_TIME, s.name(), () -> services.responseTime(s, bound)));
        }
        List<DatastoreConfig> pgs = scope.of(DatastoreType.POSTGRES);
        if (pgs.isEmpty()) {
            pending.add(done(CheckResult.skipped(Check.MIN_TABLES, scope.subject(), "no PostgreSQL datastore in depends-on")));
        }
        pgs.forEach(d -> pending.add(submit(Check.MIN_TABLES, d.name(), () -> datastores.minTables(d))));
        List<CheckResult> results = new ArrayList<>();
        Instant deadline = start.plus(bound).plusMillis(500); // each check bounds itself; this is the backstop
        try {
            for (Pending p : pending) {
                results.add(p.await(deadline));
            }
        } finally {
            pending.forEach(p -> p.future().cancel(true));
        }
        results.forEach(r -> counter.count(r, drill));
        return new Report(scope.name(), results, Duration.between(start, clock.instant()));
    }

    private void readiness(Scope scope, DatastoreType type, Check check, List<Pending> pending) {
        List<DatastoreConfig> ds = scope.of(type);
        if (ds.isEmpty()) {
            pending.add(done(CheckResult.skipped(check, scope.subject(), "no " + (type == DatastoreType.POSTGRES ? "PostgreSQL"
                    : "Redis") + " datastore in depends-on")));
        }
        ds.forEach(d -> pending.add(submit(check, d.name(), () -> datastores.ready(d))));
    }

    private Pending submit(Check check, String subject, Callable<CheckResult> work) {
        return new Pending(check, subject, pool.submit(work));
    }

    private Pending done(CheckResult r) {
        return new Pending(r.check(), r.subject(), java.util.concurrent.CompletableFuture.completedFuture(r));
    }

    /** A check under way, and what it ends as when it gives no result in time. */
    private final class Pending {
        private final Check check;
        private final String subject;
        private final Future<CheckResult> future;

        Pending(Check check, String subject, Future<CheckResult> future) {
            this.check = check;
            this.subject = subject;
            this.future = future;
        }

        Future<CheckResult> future() {
            return future;
        }

        CheckResult await(Instant deadline) throws InterruptedException {
            long left = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
            try {
                return future.get(left, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return CheckResult.failed(check, subject, "no result within " + Durations.format(bound)
                        + ", the limit of one check. Check " + subject + " by hand", bound);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                return CheckResult.failed(check, subject, "the check itself failed (" + c.getClass().getSimpleName()
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()) + "). Check " + subject + " by hand", Duration.ZERO);
            }
        }
    }
}
