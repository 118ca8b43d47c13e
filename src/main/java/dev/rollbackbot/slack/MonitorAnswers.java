package dev.rollbackbot.slack;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.monitor.MonitorState;
import dev.rollbackbot.monitor.MonitorView;
import java.time.Duration;
import java.util.List;

/** {@code /rollback monitor}: each monitored service, its settings, and where the health monitor stands with it. */
final class MonitorAnswers {
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(java.time.ZoneOffset.UTC);
    private MonitorAnswers() {
    }

    static SlackMessage of(List<MonitorView> views) {
        if (views.isEmpty()) {
            return SlackMessage.text("No service is monitored: add a `monitor` block (interval, timeout, retries, start-period,"
                    + " auto-rollback) to a service in the configuration.");
        }
        StringBuilder sb = new StringBuilder("*Health monitor*");
        for (MonitorView v : views) {
            var m = v.settings();
            sb.append("\n• ").append(Text.code(v.service())).append(" — ").append(state(v)).append(" — every ")
                    .append(Durations.format(m.interval())).append(", ").append(m.retries()).append(" failures in a row → ")
                    .append(m.autoRollback() ? "automatic rollback" : "a rollback that asks for approval");
            v.state().note().ifPresent(n -> sb.append("\n    _").append(Text.escape(n)).append("_"));
        }
        return SlackMessage.text(Text.shorten(sb.toString(), 3900));
    }

    private static String state(MonitorView v) {
        MonitorState s = v.state();
        String last = s.lastResult().isEmpty() ? "" : " (last check: " + Text.escape(s.lastResult()) + ")";
        return switch (s.phase()) {
            case WAITING -> "not checked yet";
            case STARTING -> "in start period, failures not counted for "
                    + Durations.human(Duration.between(v.at(), s.startPeriodEnds()).isNegative() ? Duration.ZERO
                            : Duration.between(v.at(), s.startPeriodEnds())) + last;
            case HEALTHY -> "✅ healthy" + last;
            case FAILING -> s.acted()
                    ? "❌ still failing, acted on already: " + s.failures() + " failed checks in a row" + s.firstFailure()
                            .map(f -> " since " + TIME.format(f)).orElse("") + last
                    : "❌ failing " + s.failures() + "/" + v.settings().retries() + last;
            case PAUSED -> "⏸ paused by a rollback (INC-" + s.pausedBy().orElse(0L) + ")";
        };
    }
}
