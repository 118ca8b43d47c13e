package dev.rollbackbot.monitor;

import dev.rollbackbot.config.MonitorSettings;

/** One monitored service for {@code /rollback monitor}: its settings and where the monitor stands. */
public record MonitorView(String service, MonitorSettings settings, MonitorState state, java.time.Instant at) {
}
