package dev.rollbackbot.validation;

import dev.rollbackbot.config.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a validation: which check, on what ({@code api}, {@code db-prod}), whether it passed, failed or was
 * skipped, what was seen (for a failure: what to do too), and how long it took. Plain text: the Slack edge draws
 * the marks.
 */
public record CheckResult(Check check, String subject, Result result, String seen, Duration took) {
    /** A check's outcome; its word is the {@code result} tag of {@code rollback_validation_checks_total}. */
    public enum Result {
        PASSED("passed"), FAILED("failed"), SKIPPED("skipped");

        private final String word;

        Result(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Optional<Result> of(String word) {
            return Arrays.stream(values()).filter(r -> r.word.equals(word)).findFirst();
        }
    }

    private static final Pattern LINE = Pattern.compile("\\[(passed|failed|skipped)] (.*)");

    public static CheckResult passed(Check c, String subject, String seen, Duration took) {
        return new CheckResult(c, subject, Result.PASSED, seen, took);
    }

    public static CheckResult failed(Check c, String subject, String seen, Duration took) {
        return new CheckResult(c, subject, Result.FAILED, seen, took);
    }

    public static CheckResult skipped(Check c, String subject, String why) {
        return new CheckResult(c, subject, Result.SKIPPED, why, Duration.ZERO);
    }

    /** {@code [passed] api, health URL answers 200: http://... answered 200 (12 ms)}: one line of the step's detail. */
    public String line() {
        return "[" + result.word() + "] " + subject + ", " + check.title() + ": " + seen.replaceAll("[.\\s]+$", "").replace('\n', ' ')
                + (result == Result.SKIPPED ? "" : " (" + Durations.human(took) + ")");
    }

    /** A line as {@link #line()} wrote it, split into its result and the rest; empty for any other line. */
    public static Optional<Line> parse(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? Result.of(m.group(1)).map(r -> new Line(r, m.group(2))) : Optional.empty();
    }

    /** A line read back from the record: its result and its text. */
    public record Line(Result result, String text) {
    }
}
