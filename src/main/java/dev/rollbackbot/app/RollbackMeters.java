package dev.rollbackbot.app;

import dev.rollbackbot.core.RollbackKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The bot's incident meters, named and tagged in one place for the listeners that move them and for the zeros of the
 * first scrape. Every one carries {@code drill} ("true" for drills) so a drill never mixes with the real figures:
 * dashboards and alerts select {@code drill="false"}.
 */
final class RollbackMeters {
    static final String INCIDENTS = "rollback_incidents_total";
    static final String DURATION = "rollback_duration";
    static final String APPROVAL_WAIT = "rollback_approval_wait";
    static final String PAGES = "rollback_pages_total";
    /** The events counted in {@link #INCIDENTS}: a request, then one outcome. */
    static final List<String> EVENTS = List.of("requested", "denied", "cancelled", "expired", "refused", "interrupted",
            "succeeded", "failed");
    /** Histogram buckets around the runbook's timeframes (emergency 1 min, automated and blue-green 2, manual 5, data 10). */
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30)};

    private RollbackMeters() {
    }

    static String drill(RollbackKind kind) {
        return String.valueOf(kind == RollbackKind.DRILL);
    }

    /** Incidents of one kind on one target (a service, or a datastore for data rollbacks), by event. */
    static Counter incidents(MeterRegistry r, RollbackKind kind, String target, String event) {
        return Counter.builder(INCIDENTS).description("rollback requests and their outcomes, by kind, service and event")
                .tag("event", event).tag("kind", kind.word()).tag("service", target).tag("drill", drill(kind)).register(r);
    }

    /** How long runs took, from start to outcome, by kind, service and outcome. */
    static Timer duration(MeterRegistry r, RollbackKind kind, String target, String outcome) {
        return Timer.builder(DURATION).description("rollback runs, from start to outcome").serviceLevelObjectives(BUCKETS)
                .tag("kind", kind.word()).tag("service", target).tag("outcome", outcome).tag("drill", drill(kind)).register(r);
    }

    /** From the request to the approval that started it (incidents that needed one). */
    static Timer approvalWait(MeterRegistry r, RollbackKind kind) {
        return Timer.builder(APPROVAL_WAIT).description("from a request to the approval that started it")
                .serviceLevelObjectives(BUCKETS).tag("kind", kind.word()).tag("drill", drill(kind)).register(r);
    }

    static Counter pages(MeterRegistry r, String level, boolean drill) {
        return Counter.builder(PAGES).description("escalation pages sent, by level").tag("level", level)
                .tag("drill", String.valueOf(drill)).register(r);
    }
}
