package dev.rollbackbot.analysis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Percentiles by the nearest-rank method (a value that occurred, never an interpolation) and means of durations. */
public final class Percentiles {
    private Percentiles() {
    }

    /** The smallest value with at least {@code p}% of the values at or below it; empty for no values. */
    public static Optional<Duration> of(List<Duration> values, int p) {
        if (p < 1 || p > 100) {
            throw new IllegalArgumentException("a percentile is 1 to 100, not " + p);
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Optional.of(sorted.get(Math.max(1, rank) - 1));
    }

    /** The arithmetic mean, to the millisecond; empty for no values. */
    public static Optional<Duration> mean(List<Duration> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        long total = values.stream().mapToLong(Duration::toMillis).sum();
        return Optional.of(Duration.ofMillis(Math.round((double) total / values.size())));
    }
}
