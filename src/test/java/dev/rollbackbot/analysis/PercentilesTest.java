package dev.rollbackbot.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static List<Duration> seconds(long... s) {
        return java.util.Arrays.stream(s).mapToObj(Duration::ofSeconds).toList();
    }

    @Test
    void nearestRankPicksAValueThatOccurred() {
        assertThat(Percentiles.of(seconds(9, 1, 5, 3, 7), 50)).contains(Duration.ofSeconds(5));
        assertThat(Percentiles.of(seconds(4, 1, 3, 2), 50)).contains(Duration.ofSeconds(2));
        assertThat(Percentiles.of(seconds(4, 1, 3, 2), 95)).contains(Duration.ofSeconds(4));
        assertThat(Percentiles.of(seconds(42), 95)).contains(Duration.ofSeconds(42));
        assertThat(Percentiles.of(seconds(), 50)).isEmpty();
        assertThatThrownBy(() -> Percentiles.of(seconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void meanIsToTheMillisecond() {
        assertThat(Percentiles.mean(seconds(1, 2))).contains(Duration.ofMillis(1500));
        assertThat(Percentiles.mean(seconds())).isEmpty();
    }
}
