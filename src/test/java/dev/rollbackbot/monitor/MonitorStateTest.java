package dev.rollbackbot.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The monitor's counting rules on fixed instants: start period, streaks, once per streak, pauses and restarts. */
class MonitorStateTest {
    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Optional<String> C1 = Optional.of("container-1");

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static MonitorState seen(int seconds) {
        return MonitorState.begin(T0, START).observe(C1, at(seconds), START);
    }

    @Test
    void failuresWithinTheStartPeriodOfTheFirstSightAreNotCounted() {
        MonitorState s = seen(5);
        for (int t = 5; t < 65; t += 10) {
            s = s.failed(at(t), "HTTP 503");
            assertThat(s.phase()).isEqualTo(MonitorState.Phase.STARTING);
            assertThat(s.failures()).isZero();
        }
        s = s.failed(at(65), "HTTP 503");
        assertThat(s.phase()).isEqualTo(MonitorState.Phase.FAILING);
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.firstFailure()).contains(at(65));
    }

    @Test
    void aHealthyAnswerEndsTheStartPeriodAndTheStreak() {
        MonitorState s = seen(0).healthy(at(1), "HTTP 200").failed(at(2), "HTTP 500").failed(at(3), "HTTP 500");
        assertThat(s.failures()).isEqualTo(2);
        s = s.healthy(at(4), "HTTP 200").failed(at(5), "HTTP 500");
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.firstFailure()).contains(at(5));
    }

    @Test
    void dueOnceAtExactlyRetriesFailuresAndNotAgainInTheSameStreak() {
        MonitorState s = seen(0).healthy(at(0), "HTTP 200");
        s = s.failed(at(1), "x").failed(at(2), "x");
        assertThat(s.due(3)).isFalse();
        s = s.failed(at(3), "x");
        assertThat(s.due(3)).isTrue();
        s = s.actedOn("opened INC-1").failed(at(4), "x");
        assertThat(s.due(3)).isFalse();
        assertThat(s.note()).contains("opened INC-1");
    }

    @Test
    void aPauseEndsTheStreakAndItsEndStartsANewStartPeriod() {
        MonitorState s = seen(0).healthy(at(0), "ok").failed(at(1), "x").failed(at(2), "x").failed(at(3), "x").actedOn("INC-7");
        s = s.paused(7);
        assertThat(s.phase()).isEqualTo(MonitorState.Phase.PAUSED);
        assertThat(s.pausedBy()).contains(7L);
        s = s.observe(Optional.of("container-2"), at(100), START).failed(at(101), "x");
        assertThat(s.phase()).isEqualTo(MonitorState.Phase.STARTING);
        assertThat(s.acted()).isFalse();
        assertThat(s.failed(at(161), "x").failures()).isEqualTo(1);
    }

    @Test
    void aStoredStateReadsBackTheSame() {
        MonitorState s = seen(0).healthy(at(0), "ok").failed(at(1), "HTTP 503 | \"quoted\"").actedOn("opened INC-3").down(3).paused(3);
        assertThat(MonitorStates.read(MonitorStates.write(s))).isEqualTo(s);
        MonitorState fresh = MonitorState.begin(T0, START);
        assertThat(MonitorStates.read(MonitorStates.write(fresh))).isEqualTo(fresh);
    }

    @Test
    void aNewInstanceRestartsTheStartPeriodTheSameOneDoesNot() {
        MonitorState s = seen(0).healthy(at(0), "ok").failed(at(1), "x");
        assertThat(s.observe(C1, at(2), START).failed(at(2), "x").failures()).isEqualTo(2);
        assertThat(s.observe(Optional.of("container-2"), at(2), START).failed(at(3), "x").failures()).isZero();
    }
}
