package dev.rollbackbot.app;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.core.RollbackKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;
import java.util.Set;

/**
 * What {@code /metrics} shows from its first scrape: the JVM's and the process's meters (Micrometer's binders), and
 * the bot's own counters and timers registered at zero, so a dashboard or an alert sees 0 rather than nothing
 * before the first incident. The names are those the listeners move ({@link IncidentMetrics}, {@link EscalationMetrics},
 * the health monitor).
 */
final class BaseMeters {
    /** The events {@link IncidentMetrics} counts in {@code rollback_incidents_total{event}}. */
    static final List<String> INCIDENT_EVENTS = List.of("requested", "denied", "cancelled", "expired", "refused",
            "interrupted", "succeeded", "failed");
    /** The gc binder keeps listeners; it is closed with the bot. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    BaseMeters(MeterRegistry registry, BotConfig config, Set<RollbackKind> kinds) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        INCIDENT_EVENTS.forEach(e -> registry.counter("rollback_incidents_total", "event", e));
        for (RollbackKind k : kinds) {
            for (String outcome : List.of("succeeded", "failed")) {
                Timer.builder("rollback_duration").tag("kind", k.word()).tag("outcome", outcome).register(registry);
            }
        }
        for (String ds : config.datastores().keySet()) { // as IncidentMetrics records them after a data rollback
            Timer.builder("rollback_data_loss_window").description("backup time to restore time of data rollbacks")
                    .tag("datastore", ds).register(registry);
            Timer.builder("rollback_restore_duration").description("from the dump of the live data to the swap")
                    .tag("datastore", ds).register(registry);
        }
        config.escalation().stream().map(EscalationLevel::name).forEach(l -> registry.counter("rollback_pages_total", "level", l));
        registry.counter("rollback_page_failures_total");
        Timer.builder("rollback_time_to_acknowledge").description("from an escalation opening to its acknowledgement")
                .register(registry);
    }

    void close() {
        gc.close();
    }
}
