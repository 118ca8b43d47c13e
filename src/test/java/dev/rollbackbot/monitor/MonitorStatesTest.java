package dev.rollbackbot.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.store.Database;
import dev.rollbackbot.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The claim that keeps one timer firing on two replicas from checking twice: the first claim of a due check wins, a
 * second one within half an interval loses, and the next interval's check is claimed again.
 */
class MonitorStatesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    private static final Duration HALF = Duration.ofMillis(500);

    @Test
    void onlyTheFirstClaimOfADueCheckWinsAndTheNextIntervalIsClaimedAgain() throws Exception {
        try (var h2 = TestDatabases.h2(); Database db = Database.open(h2.url(), h2.user(), h2.password())) {
            MonitorStates states = new MonitorStates(db.jdbc());
            assertThat(states.claim("api", T0, HALF)).as("the first check of a service, before any state").isTrue();
            states.save("api", MonitorState.begin(T0, Duration.ZERO), T0);

            assertThat(states.claim("api", T0.plusMillis(1000), HALF)).as("the next interval's check").isTrue();
            assertThat(states.claim("api", T0.plusMillis(1003), HALF)).as("the same timer fired on another replica").isFalse();
            assertThat(states.claim("api", T0.plusMillis(1499), HALF)).isFalse();
            assertThat(states.claim("api", T0.plusMillis(2000), HALF)).as("the interval after").isTrue();
            assertThat(states.claim("other", T0.plusMillis(2001), HALF)).as("another service is its own").isTrue();
        }
    }
}
