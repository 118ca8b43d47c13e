package dev.rollbackbot.command;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An incident as people name it: {@code INC-42}. */
public record IncidentRef(long number) {
    private static final Pattern FORM = Pattern.compile("(?i)(?:inc-?|#)?(\\d{1,12})");

    public static Optional<IncidentRef> parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return n > 0 ? Optional.of(new IncidentRef(n)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "INC-" + number;
    }
}
