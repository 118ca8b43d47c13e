package dev.rollbackbot.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Polls until an attempt succeeds or a deadline passes: the bot's replacement for the runbook's fixed
 * {@code sleep 30}/{@code sleep 60}. Pauses between attempts start short and grow, so a fast service is seen
 * at once and a slow one is not hammered.
 */
public final class Poll {
    private final Clock clock;
    private final Duration first;
    private final Duration max;

    public Poll(Clock clock, Duration first, Duration max) {
        this.clock = clock;
        this.first = first;
        this.max = max;
    }

    public static Poll standard(Clock clock) {
        return new Poll(clock, Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /**
     * For a local check that costs a millisecond, such as a health URL: checks at 0, 10, 30, 70, 150 ms ... so a
     * service that answers 40 ms after it started is seen at 70 ms, not at 150 ms; at most every 500 ms after that.
     */
    public static Poll quick(Clock clock) {
        return new Poll(clock, Duration.ofMillis(10), Duration.ofMillis(500));
    }

    /** The outcome of one attempt: done with a value, or not yet with what was seen. */
    public record Attempt<T>(Optional<T> value, String seen) {
        public static <T> Attempt<T> done(T value) {
            return new Attempt<>(Optional.of(value), "");
        }

        public static <T> Attempt<T> notYet(String seen) {
            return new Attempt<>(Optional.empty(), seen);
        }
    }

    /** What polling ended with: the value, or the last thing seen before the deadline; and how many attempts. */
    public record Outcome<T>(Optional<T> value, String lastSeen, int attempts, Duration elapsed) {
    }

    public <T> Outcome<T> until(Duration within, Supplier<Attempt<T>> attempt) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(within);
        Duration pause = first;
        int attempts = 0;
        String seen = "nothing yet";
        while (true) {
            attempts++;
            Attempt<T> a = attempt.get();
            if (a.value().isPresent()) {
                return new Outcome<>(a.value(), "", attempts, Duration.between(start, clock.instant()));
            }
            seen = a.seen();
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new Outcome<>(Optional.empty(), seen, attempts, Duration.between(start, clock.instant()));
            }
            pause(pause.compareTo(left) < 0 ? pause : left);
            pause = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
        }
    }

    private static void pause(Duration d) throws InterruptedException {
        LockSupport.parkNanos(d.toNanos());
        if (Thread.interrupted()) {
            throw new InterruptedException("polling was interrupted");
        }
    }
}
