package dev.rollbackbot.validation;

import dev.rollbackbot.config.Durations;
import java.time.Duration;
import java.util.List;

/** What a validation found: one {@link CheckResult} a line, in the runbook's order, and how long it all took. */
public record Report(String scope, List<CheckResult> results, Duration took) {
    public Report {
        results = List.copyOf(results);
    }

    public List<CheckResult> failed() {
        return of(CheckResult.Result.FAILED);
    }

    public boolean passed() {
        return failed().isEmpty();
    }

    /** {@code 4 passed, 1 failed, 1 skipped in 230 ms}. */
    public String summary() {
        return of(CheckResult.Result.PASSED).size() + " passed, " + failed().size() + " failed, " + of(CheckResult.Result.SKIPPED).size()
                + " skipped in " + Durations.human(took);
    }

    /** The step's detail: what failed (when anything did) and the summary, then every line. */
    public String text() {
        String head = passed() ? summary()
                : "validation of " + scope + " failed " + failed().size() + " of " + results.size() + " checks ("
                        + String.join(", ", failed().stream().map(r -> r.check().label() + " " + r.subject()).toList()) + "); "
                        + summary();
        StringBuilder sb = new StringBuilder(head);
        results.forEach(r -> sb.append('\n').append(r.line()));
        return sb.toString();
    }

    private List<CheckResult> of(CheckResult.Result result) {
        return results.stream().filter(r -> r.result() == result).toList();
    }
}
