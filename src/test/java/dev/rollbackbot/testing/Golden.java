package dev.rollbackbot.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import dev.rollbackbot.slack.SlackMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden files for Slack messages: a message is serialised as the Slack SDK sends it (its snake_case Gson for the
 * blocks) and compared with {@code src/test/resources/golden/<name>.json}. Run with {@code -Dgolden.update=true} to
 * rewrite the files; the tests then fail on purpose, so an update is never mistaken for a pass.
 */
public final class Golden {
    public static final String UPDATE = "golden.update";

    private static final Gson SLACK = GsonFactory.createSnakeCase();
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
    private static final int CONTEXT = 3;

    private Golden() {
    }

    /** The message as Slack receives it: {@code {"text": ..., "blocks": [...]}}. */
    public static JsonObject tree(SlackMessage m) {
        JsonObject o = new JsonObject();
        o.addProperty("text", m.text());
        o.add("blocks", blocks(m));
        return o;
    }

    /** The message as pretty-printed JSON, the form kept in golden files. */
    public static String json(SlackMessage m) {
        return pretty(tree(m));
    }

    public static String pretty(JsonElement e) {
        return PRETTY.toJson(e) + "\n";
    }

    /** Compares one message with {@code golden/<name>.json}. */
    public static void check(String name, SlackMessage m) {
        check(name, tree(m));
    }

    /** Compares any JSON built from messages (e.g. a list of thread replies) with {@code golden/<name>.json}. */
    public static void check(String name, JsonElement json) {
        String actual = pretty(json);
        Path file = dir().resolve(name + ".json");
        if (Boolean.getBoolean(UPDATE)) {
            String before = read(file);
            write(file, actual);
            fail("golden.update=true: rewrote " + file + (actual.equals(before) ? " (unchanged)" : " (CHANGED)")
                    + ". Review it (git diff), then run the tests again without -Dgolden.update.");
        }
        if (!Files.exists(file)) {
            fail("No golden file " + file + ". Create it with:\n  mvn -B -q test -Dtest='*GoldenTest' -Dgolden.update=true"
                    + " -Dsurefire.failIfNoSpecifiedTests=false\nthen read it, check it is what people should see, and commit it.");
        }
        String expected = read(file);
        if (!expected.equals(actual)) {
            fail("Slack message differs from golden file " + file + "\n" + firstDifference(expected, actual)
                    + "\nIf the change is intended, rerun with -Dgolden.update=true and review the diff.");
        }
    }

    /** The first differing line of two texts, with a few lines of context before it. */
    public static String firstDifference(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int n = 0;
        while (n < e.size() && n < a.size() && e.get(n).equals(a.get(n))) {
            n++;
        }
        List<String> out = new ArrayList<>();
        out.add("first difference at line " + (n + 1) + ":");
        for (int i = Math.max(0, n - CONTEXT); i < n; i++) {
            out.add(String.format("  %4d   %s", i + 1, e.get(i)));
        }
        out.add(String.format("- %4d   %s", n + 1, n < e.size() ? e.get(n) : "<end of golden file>"));
        out.add(String.format("+ %4d   %s", n + 1, n < a.size() ? a.get(n) : "<end of actual output>"));
        if (n < e.size() && n < a.size()) {
            String x = e.get(n);
            String y = a.get(n);
            int c = 0;
            while (c < x.length() && c < y.length() && x.charAt(c) == y.charAt(c)) {
                c++;
            }
            out.add("at column " + (c + 1) + ": golden \u00ab" + around(x, c) + "\u00bb, actual \u00ab" + around(y, c) + "\u00bb");
        }
        return String.join("\n", out);
    }

    private static String around(String line, int column) {
        int from = Math.max(0, column - 20);
        int to = Math.min(line.length(), column + 40);
        return (from > 0 ? "…" : "") + line.substring(from, to) + (to < line.length() ? "…" : "");
    }

    private static JsonElement blocks(SlackMessage m) {
        if (m.blocks().isEmpty()) {
            return new JsonArray();
        }
        // As RequestFormBuilder does: Gson gives "null" for some list classes, then it copies the list first.
        String json = SLACK.toJson(m.blocks());
        if ("null".equals(json)) {
            json = SLACK.toJson(new ArrayList<>(m.blocks()));
        }
        return JsonParser.parseString(json);
    }

    private static Path dir() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base, "src", "test", "resources", "golden");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
