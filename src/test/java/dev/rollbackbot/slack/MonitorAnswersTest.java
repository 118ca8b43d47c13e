package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.config.MonitorSettings;
import dev.rollbackbot.monitor.MonitorState;
import dev.rollbackbot.monitor.MonitorView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /rollback monitor}: a streak counts up to retries; once the monitor acted on it, it stops reading as a count. */
class MonitorAnswersTest {
    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    private static final MonitorSettings SETTINGS = new MonitorSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 2,
            Duration.ZERO, true);

    private static String answer(MonitorState s, Instant at) {
        return MonitorAnswers.of(List.of(new MonitorView("api", SETTINGS, s, at))).text();
    }

    @Test
    void aStreakBeforeTheMonitorActsIsCountedAgainstRetries() {
        MonitorState s = MonitorState.begin(T0, Duration.ZERO).healthy(T0, "HTTP 200").failed(T0.plusSeconds(30), "HTTP 503");
        assertThat(answer(s, T0.plusSeconds(31))).contains("❌ failing 1/2 (last check: HTTP 503)");
    }

    @Test
    void aStreakTheMonitorActedOnSaysSoInsteadOfCountingPastRetries() {
        MonitorState s = MonitorState.begin(T0, Duration.ZERO).healthy(T0, "HTTP 200");
        for (int i = 1; i <= 2; i++) {
            s = s.failed(T0.plusSeconds(30L * i), "HTTP 503");
        }
        s = s.actedOn("opened INC-7");
        for (int i = 3; i <= 30; i++) {
            s = s.failed(T0.plusSeconds(30L * i), "HTTP 503");
        }
        String text = answer(s, T0.plusSeconds(901));
        assertThat(text).contains("still failing, acted on already: 30 failed checks in a row since 03:00:30 UTC", "opened INC-7")
                .doesNotContain("30/2");
    }
}
