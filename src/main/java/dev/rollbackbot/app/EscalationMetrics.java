package dev.rollbackbot.app;

import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Pages by level (drills apart) and time to acknowledge, from the same event stream as the timeline and Slack. */
final class EscalationMetrics implements IncidentListener {
    private final MeterRegistry registry;
    private final IncidentStore store;

    EscalationMetrics(MeterRegistry registry, IncidentStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public void onEvent(TimelineEvent e) {
        switch (e.type()) {
            // a PAGED detail starts with the level's name: "L2: Technical Lead, ..."
            case PAGED -> RollbackMeters.pages(registry, e.detail().map(d -> d.indexOf(':') > 0 ? d.substring(0, d.indexOf(':')) : d)
                    .orElse("?"), store.find(e.incidentId()).map(i -> i.kind() == RollbackKind.DRILL).orElse(false)).increment();
            case PAGE_FAILED -> registry.counter("rollback_page_failures_total").increment();
            case ACKNOWLEDGED -> e.duration().ifPresent(d -> Timer.builder("rollback_time_to_acknowledge")
                    .description("from an escalation opening to its acknowledgement").register(registry).record(d));
            default -> {
            }
        }
    }
}
