package dev.rollbackbot.app;

import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts incidents by outcome and times finished rollbacks, from the same event stream as Slack; a data rollback whose
 * data went live also adds its data-loss window and restore duration, by datastore.
 */
final class IncidentMetrics implements IncidentListener {
    private final MeterRegistry registry;
    private final IncidentStore store;
    private final DataRestores restores;

    IncidentMetrics(MeterRegistry registry, IncidentStore store, DataRestores restores) {
        this.registry = registry;
        this.store = store;
        this.restores = restores;
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
                if (e.type() == EventType.SUCCEEDED) { // a data rollback, or an emergency that restored a datastore
                    restores.of(inc.id()).ifPresent(f -> {
                        Timer.builder("rollback_data_loss_window").description("backup time to restore time of data rollbacks")
                                .tag("datastore", f.datastore()).register(registry).record(f.dataLossWindow());
                        Timer.builder("rollback_restore_duration").description("from the dump of the live data to the swap")
                                .tag("datastore", f.datastore()).register(registry).record(f.took());
                    });
                }
            });
            default -> {
            }
        }
    }
}
