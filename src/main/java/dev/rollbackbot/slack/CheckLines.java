package dev.rollbackbot.slack;

import dev.rollbackbot.validation.CheckResult;
import java.util.stream.Collectors;

/** A validation's lines as Slack shows them: {@code [passed] ...} becomes {@code ✅ ...}, one check a line. */
final class CheckLines {
    private CheckLines() {
    }

    /** {@code text} (already escaped) with each check line marked; other lines as they are. */
    static String marked(String text) {
        if (!text.contains("\n[")) {
            return text;
        }
        return text.lines().map(l -> CheckResult.parse(l).map(CheckLines::mark).orElse(l)).collect(Collectors.joining("\n"));
    }

    /** {@code text} without its check lines (the step's own reply just above has them). */
    static String withoutLines(String text) {
        return text.lines().filter(l -> CheckResult.parse(l).isEmpty()).collect(Collectors.joining("\n"));
    }

    private static String mark(CheckResult.Line l) {
        return switch (l.result()) {
            case PASSED -> "✅ " + l.text();
            case FAILED -> "❌ " + l.text();
            case SKIPPED -> "⏭️ skipped: " + l.text();
        };
    }

}
