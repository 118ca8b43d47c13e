package dev.rollbackbot.app;

import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts incidents by kind, service and event, times finished runs and the approval wait, from the same event stream as
 * Slack ({@link RollbackMeters} names them). A data rollback whose data went live also adds its data-loss window and
 * restore duration, by datastore. Validations are not rollbacks: they are counted by their checks, not here.
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
            case REQUESTED, DENIED, CANCELLED, EXPIRED, REFUSED, INTERRUPTED -> rollback(e).ifPresent(inc -> count(inc, e));
            case STARTED -> rollback(e).filter(inc -> inc.requiredApprovals() > 0).ifPresent(inc ->
                    RollbackMeters.approvalWait(registry, inc.kind()).record(nonNegative(Duration.between(inc.createdAt(), e.at()))));
            case SUCCEEDED, FAILED -> rollback(e).ifPresent(inc -> {
                count(inc, e);
                inc.runDuration().ifPresent(d -> RollbackMeters.duration(registry, inc.kind(), inc.target(), event(e)).record(d));
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

    private java.util.Optional<Incident> rollback(TimelineEvent e) {
        return store.find(e.incidentId()).filter(inc -> inc.kind() != RollbackKind.VALIDATE);
    }

    private void count(Incident inc, TimelineEvent e) {
        RollbackMeters.incidents(registry, inc.kind(), inc.target(), event(e)).increment();
    }

    private static String event(TimelineEvent e) {
        return e.type().name().toLowerCase(Locale.ROOT);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
