package dev.rollbackbot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "15m, 900000",
        "1h, 3600000",
        "2d, 172800000",
        "0s, 0",
        "' 45s ', 45000",
        "120s, 120000",
    })
    void parsesANumberAndAUnit(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {
        "2 minutes", "30", "s", "", "   ", "1.5h", "-1s", "+1s", "30S", "1H", "15 m", "1h30m", "30sec", "1w",
        "1000000000s", "١٥m", "ms500", "30s;", "30s\n15m",
    })
    void rejectsAnythingElse(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @Test
    void acceptsTheLargestNineDigitNumber() {
        assertThat(Durations.parse("999999999d")).contains(Duration.ofDays(999_999_999));
    }

    @ParameterizedTest(name = "{0} ms is written {1}")
    @CsvSource({
        "500, 500ms",
        "1500, 1500ms",
        "0, 0s",
        "30000, 30s",
        "90000, 90s",
        "900000, 15m",
        "5400000, 90m",
        "3600000, 1h",
        "172800000, 48h",
    })
    void formatsInTheShortestUnitThatIsExact(long millis, String expected) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"500ms", "30s", "15m", "1h", "90s", "2500ms"})
    void formatReadsBackAsTheSameDuration(String text) {
        Duration d = Durations.parse(text).orElseThrow();
        assertThat(Durations.parse(Durations.format(d))).contains(d);
    }

    @ParameterizedTest(name = "{0} ms reads {1}")
    @CsvSource({
        "1000, 1.0 s",
        "9900, 9.9 s",
        "12000, 12 s",
        "12400, 12 s",
        "60000, 1 min",
        "185000, 3 min 5 s",
        "3600000, 1 h 0 min",
        "5580000, 1 h 33 min",
    })
    void humanFormIsForPeople(long millis, String expected) {
        assertThat(Durations.human(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
