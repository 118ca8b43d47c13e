package dev.rollbackbot.command;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.RollbackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the text after {@code /rollback} into a {@link Command}, or a {@link UserError} that says what was wrong
 * and what is valid. Pure: no I/O, so it runs on Slack's 3-second acknowledgement path.
 */
public final class CommandParser {
    public static final int MAX_LENGTH = 2000;
    public static final int MAX_REASON = 500;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}");
    private static final Pattern BACKUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern INVISIBLE = Pattern.compile("[\\u200B-\\u200D\\u2060\\uFEFF]");
    /** Dashes that autocorrect makes of "--" (em dash, en dash, ...), where an option starts. */
    private static final Pattern DASHED_OPTION = Pattern.compile("(?<=^| )(?:[\\u2010-\\u2015\\u2212]-?|-[\\u2010-\\u2015\\u2212])(?=[A-Za-z])");
    private static final Pattern OPTION_IN_REASON = Pattern.compile("(?:^| )(--[A-Za-z][A-Za-z-]*)");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]+");

    private final BotConfig config;

    public CommandParser(BotConfig config) {
        this.config = config;
    }

    public Command parse(String rawText) {
        String raw = rawText == null ? "" : rawText;
        if (raw.length() > MAX_LENGTH) {
            throw new UserError(String.format(Locale.ROOT,
                    "That command is %,d characters long; a /rollback command is at most %,d. %s",
                    raw.length(), MAX_LENGTH, tryHelp()));
        }
        String text = SPACES.matcher(INVISIBLE.matcher(raw).replaceAll("")).replaceAll(" ").strip();
        Tokens t = new Tokens(DASHED_OPTION.matcher(text).replaceAll("--"));
        if (!t.hasNext()) {
            return new Command.Help(Optional.empty());
        }
        String first = t.next();
        Word word = Word.of(first.toLowerCase(Locale.ROOT)).orElseThrow(() -> unknownWord(first));
        return switch (word) {
            case EMERGENCY -> rollback(RollbackKind.EMERGENCY, word, t);
            case MANUAL -> rollback(RollbackKind.MANUAL, word, t);
            case BLUE_GREEN -> rollback(RollbackKind.BLUE_GREEN, word, t);
            case DRILL -> rollback(RollbackKind.DRILL, word, t);
            case VALIDATE -> {
                Command.Rollback r = new Command.Rollback(RollbackKind.VALIDATE, service(word, t), Optional.empty(), Optional.empty(), "");
                noMore(word, t);
                yield r;
            }
            case DATA -> data(word, t);
            case STATUS -> {
                Optional<IncidentRef> ref = t.hasNext() ? Optional.of(incident(word, t.next())) : Optional.empty();
                noMore(word, t);
                yield new Command.Status(ref);
            }
            case HISTORY -> {
                Optional<String> service = t.hasNext() ? Optional.of(service(word, t)) : Optional.empty();
                noMore(word, t);
                yield new Command.History(service);
            }
            case STATS -> {
                int days = t.hasNext() ? days(word, t.next()) : 30;
                noMore(word, t);
                yield new Command.Stats(days);
            }
            case ACK -> new Command.Ack(requiredIncident(word, t));
            case LOG -> new Command.Log(requiredIncident(word, t));
            case CANCEL -> new Command.Cancel(requiredIncident(word, t));
            case BACKUPS -> {
                String ds = datastore(word, t);
                noMore(word, t);
                yield new Command.Backups(ds);
            }
            case ONCALL -> {
                noMore(word, t);
                yield new Command.Oncall();
            }
            case MONITOR -> {
                noMore(word, t);
                yield new Command.Monitor();
            }
            case HELP -> {
                Optional<String> topic = Optional.empty();
                if (t.hasNext()) {
                    String w = t.next();
                    topic = Optional.of(Word.of(w.toLowerCase(Locale.ROOT)).orElseThrow(() -> unknownWord(w)).text());
                }
                noMore(word, t);
                yield new Command.Help(topic);
            }
        };
    }

    private Command.Rollback rollback(RollbackKind kind, Word word, Tokens t) {
        String service = service(word, t);
        Optional<String> to = Optional.empty();
        while (t.peekIsOption()) {
            String opt = t.next();
            String name = opt.contains("=") ? opt.substring(0, opt.indexOf('=')) : opt;
            if (kind == RollbackKind.MANUAL && name.equals("--to")) {
                if (to.isPresent()) {
                    throw usage(word, "`--to` is given twice.");
                }
                to = Optional.of(optionValue(word, opt, t, "--to", VERSION, "a version or image, e.g. `2.3.0` or `registry/app:2.3.0`"));
            } else {
                throw usage(word, quote(name, 30) + " is not an option of " + word.text() + "."
                        + (kind == RollbackKind.MANUAL ? " Valid: `--to <version>`." : " It takes none."));
            }
        }
        if (kind == RollbackKind.BLUE_GREEN) {
            ServiceConfig s = config.service(service).orElseThrow();
            if (s.blueGreen().isEmpty()) {
                throw new UserError(code(service) + " has no blue-green section in " + code(config.source())
                        + ", so there is no other colour to switch to. Use `/rollback manual " + service + "` instead.");
            }
        }
        return new Command.Rollback(kind, service, to, Optional.empty(), reason(word, t));
    }

    private Command.Rollback data(Word word, Tokens t) {
        String ds = datastore(word, t);
        Optional<String> backup = Optional.empty();
        while (t.peekIsOption()) {
            String opt = t.next();
            String name = opt.contains("=") ? opt.substring(0, opt.indexOf('=')) : opt;
            if (!name.equals("--backup") || backup.isPresent()) {
                throw usage(word, backup.isPresent() && name.equals("--backup") ? "`--backup` is given twice."
                        : quote(name, 30) + " is not an option of data. Valid: `--backup <name>`.");
            }
            backup = Optional.of(optionValue(word, opt, t, "--backup", BACKUP, "a backup file name as `/rollback backups " + ds + "` lists it"));
        }
        return new Command.Rollback(RollbackKind.DATA, ds, Optional.empty(), backup, reason(word, t));
    }

    private String optionValue(Word word, String opt, Tokens t, String name, Pattern form, String what) {
        String value;
        if (opt.startsWith(name + "=")) {
            value = opt.substring(name.length() + 1);
        } else if (t.hasNext() && !t.peekIsOption()) {
            value = t.next();
        } else {
            value = "";
        }
        if (value.isEmpty()) {
            throw usage(word, "`" + name + "` needs a value: " + what + ".");
        }
        if (!form.matcher(value).matches()) {
            throw usage(word, quote(value, 40) + " is not valid for `" + name + "`: give " + what + ".");
        }
        return value;
    }

    private String service(Word word, Tokens t) {
        if (!t.hasNext()) {
            throw usage(word, "Which service? " + validServices());
        }
        String name = t.next();
        if (config.service(name).isPresent()) {
            return name;
        }
        if (config.datastore(name).isPresent()) {
            throw new UserError(code(name) + " is a datastore, not a service. To restore it: `/rollback data " + name
                    + "`. " + validServices());
        }
        throw new UserError("Unknown service " + quote(name, 40) + "." + didYouMean(name, config.serviceNames())
                + " " + validServices());
    }

    private String datastore(Word word, Tokens t) {
        if (!t.hasNext()) {
            throw usage(word, "Which datastore? " + validDatastores());
        }
        String name = t.next();
        if (config.datastore(name).isPresent()) {
            return name;
        }
        if (config.service(name).isPresent()) {
            throw new UserError(code(name) + " is a service, not a datastore: `/rollback manual " + name
                    + "` rolls it back. " + validDatastores());
        }
        throw new UserError("Unknown datastore " + quote(name, 40) + "." + didYouMean(name, config.datastoreNames())
                + " " + validDatastores());
    }

    private String reason(Word word, Tokens t) {
        String reason = t.rest().replaceAll("\\p{Cntrl}", " ").strip();
        java.util.regex.Matcher option = OPTION_IN_REASON.matcher(reason);
        if (option.find()) {
            throw usage(word, quote(option.group(1), 30) + " comes after the reason, where it would be read as part of it."
                    + " Options go right after the target, before the reason.");
        }
        if (reason.length() >= 2 && isQuote(reason.charAt(0)) && isQuote(reason.charAt(reason.length() - 1))) {
            reason = reason.substring(1, reason.length() - 1).strip();
        }
        int length = reason.codePointCount(0, reason.length());
        if (length > MAX_REASON) {
            throw usage(word, String.format(Locale.ROOT, "The reason is %,d characters; keep it to %d (link a ticket for more).",
                    length, MAX_REASON));
        }
        return reason;
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '“' || c == '”' || c == '‘' || c == '’';
    }

    private IncidentRef requiredIncident(Word word, Tokens t) {
        if (!t.hasNext()) {
            throw usage(word, "Which incident? Give its id, e.g. `INC-42` (`/rollback status` lists them).");
        }
        IncidentRef ref = incident(word, t.next());
        noMore(word, t);
        return ref;
    }

    private IncidentRef incident(Word word, String text) {
        return IncidentRef.parse(text).orElseThrow(() -> usage(word,
                quote(text, 30) + " is not an incident id: write it as `INC-42` (`/rollback status` lists them)."));
    }

    private int days(Word word, String text) {
        try {
            int d = Integer.parseInt(text);
            if (d >= 1 && d <= 365) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage(word, quote(text, 20) + " is not a number of days: give a whole number from 1 to 365.");
    }

    private void noMore(Word word, Tokens t) {
        if (t.hasNext()) {
            throw usage(word, "Unexpected " + quote(t.rest(), 40) + ".");
        }
    }

    private UserError unknownWord(String w) {
        return new UserError(quote(w, 40) + " is not a /rollback command." + didYouMean(w, Word.texts())
                + " Valid: " + String.join(", ", Word.texts().stream().map(CommandParser::code).toList()) + ". " + tryHelp());
    }

    private static UserError usage(Word word, String problem) {
        return new UserError(problem + "\nUsage: `" + word.usage() + "`");
    }

    private String validServices() {
        return "Services: " + list(config.serviceNames()) + ".";
    }

    private String validDatastores() {
        return config.datastoreNames().isEmpty() ? "No datastores are configured in " + code(config.source()) + "."
                : "Datastores: " + list(config.datastoreNames()) + ".";
    }

    private static String list(List<String> names) {
        List<String> coded = new ArrayList<>();
        names.forEach(n -> coded.add(code(n)));
        return String.join(", ", coded);
    }

    /** A trusted name as code; the message is plain text, escaped by whoever shows it. */
    private static String code(String name) {
        return "`" + name + "`";
    }

    /** User input as code: backticks and control characters removed, cut to {@code max} code points. */
    private static String quote(String userText, int max) {
        return dev.rollbackbot.common.Message.empty().quote(userText, max).plain();
    }

    private static String didYouMean(String input, List<String> candidates) {
        return Suggestions.closest(input, candidates).map(c -> " Did you mean " + code(c) + "?").orElse("");
    }

    private static String tryHelp() {
        return "Try `/rollback help`.";
    }

    /** Words separated by single spaces, with access to the untouched rest of the line for reasons. */
    private static final class Tokens {
        private final String text;
        private int pos;

        Tokens(String text) {
            this.text = text;
        }

        boolean hasNext() {
            return pos < text.length();
        }

        String next() {
            int end = text.indexOf(' ', pos);
            String w = end < 0 ? text.substring(pos) : text.substring(pos, end);
            pos = end < 0 ? text.length() : end + 1;
            return w;
        }

        boolean peekIsOption() {
            return text.startsWith("--", pos);
        }

        String rest() {
            String r = text.substring(pos);
            pos = text.length();
            return r;
        }
    }
}
