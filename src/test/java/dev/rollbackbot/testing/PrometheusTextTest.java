package dev.rollbackbot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrape parser reads what Prometheus reads, and refuses what Prometheus would refuse. */
class PrometheusTextTest {
    @Test
    void samplesLabelsHelpAndTypesAreRead() {
        PrometheusText p = PrometheusText.parse("""
                # HELP rollback_incidents_total Incidents by event\\nsecond line
                # TYPE rollback_incidents_total counter
                rollback_incidents_total{event="requested"} 2.0
                rollback_incidents_total{event="refused",} 1
                # a free comment
                rollback_duration_seconds_count{kind="manual",outcome="succeeded"} 3 1700000000000
                process_uptime_seconds 12.5
                odd_values{v="a"} NaN
                odd_values{v="b"} +Inf
                odd_values{v="c"} -1.5e-3

                """);
        assertThat(p.type("rollback_incidents_total")).contains("counter");
        assertThat(p.help("rollback_incidents_total")).contains("Incidents by event\nsecond line");
        assertThat(p.byLabel("rollback_incidents_total", "event")).isEqualTo(Map.of("requested", 2.0, "refused", 1.0));
        assertThat(p.value("rollback_duration_seconds_count", "kind", "manual", "outcome", "succeeded")).hasValue(3);
        assertThat(p.value("rollback_duration_seconds_count", "kind", "manual")).isEmpty(); // labels must match exactly
        assertThat(p.value("process_uptime_seconds")).hasValue(12.5);
        assertThat(p.value("odd_values", "v", "a").getAsDouble()).isNaN();
        assertThat(p.value("odd_values", "v", "b")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(p.value("odd_values", "v", "c")).hasValue(-0.0015);
        assertThat(p.counter("rollback_incidents_total", "event", "expired")).isZero();
    }

    @Test
    void escapedQuotesBackslashesAndNewlinesInLabelValuesAreDecoded() {
        PrometheusText p = PrometheusText.parse("m{path=\"C:\\\\tmp\",msg=\"say \\\"hi\\\", {ok}\",x=\"a\\nb\"} 1\n");
        assertThat(p.samples()).singleElement().satisfies(s -> assertThat(s.labels())
                .containsExactly(Map.entry("path", "C:\\tmp"), Map.entry("msg", "say \"hi\", {ok}"), Map.entry("x", "a\nb")));
    }

    @Test
    void malformedLinesAreRefusedWithTheirNumber() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nm{a=\"x} 1\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("m{a=\"x\"}\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("m 1 2 3\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("m one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("m{a=\"\\t\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusText.parse("1m 1\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE m countr\n")).hasMessageContaining("bad type");
    }

    @Test
    void twoSamplesWithTheSameLabelsAreAnError() {
        PrometheusText p = PrometheusText.parse("m{a=\"x\"} 1\nm{a=\"x\"} 2\n");
        assertThatThrownBy(() -> p.value("m", "a", "x")).isInstanceOf(AssertionError.class);
    }
}
