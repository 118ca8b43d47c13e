package dev.rollbackbot.app;

import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counts incidents by outcome and times finished rollbacks, from the same event stream as Slack. */
final class IncidentMetrics implements IncidentListener {
    private final MeterRegistry registry;
    private final IncidentStore store;

    IncidentMetrics(MeterRegistry registry, IncidentStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public void onEvent(TimelineEvent e) {
        switch (e.type()) {
            case REQUESTED, DENIED, CANCELLED, EXPIRED, REFUSED, INTERRUPTED ->
                    registry.counter("rollback_incidents_total", "event", e.type().name().toLowerCase()).increment();
            case SUCCEEDED, FAILED -> store.find(e.incidentId()).ifPresent(inc -> {
                registry.counter("rollback_incidents_total", "event", e.type().name().toLowerCase()).increment();
                inc.runDuration().ifPresent(d -> Timer.builder("rollback_duration").tag("kind", inc.kind().word())
                        .tag("outcome", e.type().name().toLowerCase()).register(registry).record(d));
            });
            default -> {
            }
        }
    }
}
