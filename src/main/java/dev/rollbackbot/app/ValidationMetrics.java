package dev.rollbackbot.app;

import dev.rollbackbot.validation.Check;
import dev.rollbackbot.validation.CheckCounter;
import dev.rollbackbot.validation.CheckResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code rollback_validation_checks_total{check,result,drill}}: every line of every validation, registered at zero for
 * each check, result and drill flag so the first scrape shows them all.
 */
final class ValidationMetrics implements CheckCounter {
    private final MeterRegistry registry;

    ValidationMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Check c : Check.values()) {
            for (CheckResult.Result r : CheckResult.Result.values()) {
                counter(c, r, true);
                counter(c, r, false);
            }
        }
    }

    @Override
    public void count(CheckResult result, boolean drill) {
        counter(result.check(), result.result(), drill).increment();
    }

    private Counter counter(Check c, CheckResult.Result r, boolean drill) {
        return Counter.builder("rollback_validation_checks").description("validation checks by check, result and drill")
                .tag("check", c.label()).tag("result", r.word()).tag("drill", String.valueOf(drill)).register(registry);
    }
}
