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
import java.util.ArrayList;
import java.util.function.BiPredicate;

/**
 * What {@code /metrics} shows from its first scrape: the JVM's and the process's meters (Micrometer's binders), and
 * the bot's own counters and timers registered at zero, so a dashboard or an alert sees 0 rather than nothing
 * before the first incident. The names are those the listeners move ({@link IncidentMetrics}, {@link EscalationMetrics},
 * the health monitor).
 */
final class BaseMeters {
    /** The gc binder keeps listeners; it is closed with the bot. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** {@code applies}: whether a kind of rollback can be requested for a target (a procedure is registered for it). */
    BaseMeters(MeterRegistry registry, BotConfig config, BiPredicate<RollbackKind, String> applies) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        for (String target : targets(config)) { // every kind of rollback this target has a procedure for
            for (RollbackKind k : RollbackKind.values()) {
                if (k != RollbackKind.VALIDATE && applies.test(k, target)) {
                    RollbackMeters.EVENTS.forEach(e -> RollbackMeters.incidents(registry, k, target, e));
                    List.of("succeeded", "failed").forEach(o -> RollbackMeters.duration(registry, k, target, o));
                    if (config.approvals().requiredFor(k) > 0) {
                        RollbackMeters.approvalWait(registry, k);
                    }
                }
            }
        }
        for (String ds : config.datastores().keySet()) { // as IncidentMetrics records them after a data rollback
            Timer.builder("rollback_data_loss_window").description("backup time to restore time of data rollbacks")
                    .tag("datastore", ds).register(registry);
            Timer.builder("rollback_restore_duration").description("from the dump of the live data to the swap")
                    .tag("datastore", ds).register(registry);
        }
        config.escalation().stream().map(EscalationLevel::name).forEach(l -> RollbackMeters.pages(registry, l, false));
        config.escalation().stream().limit(1).map(EscalationLevel::name).forEach(l -> RollbackMeters.pages(registry, l, true));
        registry.counter("rollback_page_failures_total");
        Timer.builder("rollback_time_to_acknowledge").description("from an escalation opening to its acknowledgement")
                .register(registry);
    }

    private static List<String> targets(BotConfig config) {
        List<String> all = new ArrayList<>(config.services().keySet());
        all.addAll(config.datastores().keySet());
        return all;
    }

    void close() {
        gc.close();
    }
}
