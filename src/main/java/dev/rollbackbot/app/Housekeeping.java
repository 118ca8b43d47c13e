package dev.rollbackbot.app;

import dev.rollbackbot.incident.DeliveryLog;
import dev.rollbackbot.rollback.RollbackRunner;
import dev.rollbackbot.rollback.RollbackService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work every replica does against the shared database: expire unanswered requests, keep its own
 * running incidents' heartbeat fresh, mark incidents of silent replicas interrupted, forget old deliveries.
 * Each change is a conditional update, so replicas doing it at once do it once.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration SILENCE = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    Housekeeping(RollbackService service, RollbackRunner runner, DeliveryLog deliveries, Clock clock, Duration expiryCheck) {
        every(expiryCheck, "expire requests", service::expireDue);
        every(HEARTBEAT, "heartbeat", runner::heartbeat);
        every(HEARTBEAT, "take over silent runs", () -> service.takeOverSilentRuns(SILENCE));
        every(Duration.ofHours(1), "forget deliveries", () -> deliveries.forgetOlderThan(clock.instant(), Duration.ofDays(1)));
    }

    private void every(Duration period, String what, Runnable task) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("housekeeping ({}) failed: {}", what, e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
