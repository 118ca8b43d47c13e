package dev.rollbackbot.config;

import java.time.Duration;

/** The health monitor of one service (the runbook's docker-compose healthcheck). */
public record MonitorSettings(Duration interval, Duration timeout, int retries, Duration startPeriod, boolean autoRollback) {
    public static MonitorSettings defaults() {
        return new MonitorSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 3, Duration.ofSeconds(60), false);
    }
}
