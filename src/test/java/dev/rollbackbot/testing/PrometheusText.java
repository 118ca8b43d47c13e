package dev.rollbackbot.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Prometheus' text exposition format (0.0.4), parsed strictly enough to catch a malformed scrape: sample lines
 * {@code name{label="value",...} value [timestamp]}, {@code # HELP name text} and {@code # TYPE name type}; other
 * comments and blank lines are skipped. Label values may hold {@code \"}, {@code \\} and {@code \n} escapes; values
 * may be {@code NaN}, {@code +Inf}, {@code -Inf}. Anything else throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {
    /** One sample: metric name, labels in their order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;
    private final Map<String, String> help;

    private PrometheusText(List<Sample> samples, Map<String, String> types, Map<String, String> help) {
        this.samples = samples;
        this.types = types;
        this.help = help;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    comment(line, types, help);
                } else {
                    samples.add(new Cursor(line).sample());
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not Prometheus text format (" + e.getMessage()
                        + "): " + line, e);
            }
        }
        return new PrometheusText(List.copyOf(samples), Collections.unmodifiableMap(types), Collections.unmodifiableMap(help));
    }

    private static void comment(String line, Map<String, String> types, Map<String, String> help) {
        String[] parts = line.substring(1).strip().split("[ \t]+", 3);
        if (parts.length >= 2 && (parts[0].equals("HELP") || parts[0].equals("TYPE"))) {
            if (!parts[1].matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("bad metric name " + parts[1]);
            }
            String rest = parts.length == 3 ? parts[2] : "";
            if (parts[0].equals("TYPE")) {
                if (!rest.matches("counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram")) {
                    throw new IllegalArgumentException("bad type " + rest);
                }
                if (types.put(parts[1], rest) != null) {
                    throw new IllegalArgumentException("second TYPE for " + parts[1]);
                }
            } else {
                help.put(parts[1], rest.replace("\\n", "\n").replace("\\\\", "\\"));
            }
        }
        // any other comment (or "# EOF") carries nothing
    }

    public List<Sample> samples() {
        return samples;
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The {@code # TYPE} of a metric family, e.g. {@code counter}. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    public Optional<String> help(String family) {
        return Optional.ofNullable(help.get(family));
    }

    /** The value of the sample with exactly these labels ({@code "k1", "v1", "k2", "v2"...}), if there is one. */
    public OptionalDouble value(String name, String... labelPairs) {
        Map<String, String> want = pairs(labelPairs);
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).toList();
        if (found.size() > 1) {
            throw new AssertionError("the scrape has " + found.size() + " samples " + name + want);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
    }

    /**
     * The value of a counter that may not have been created yet: Micrometer adds a counter on its first increment,
     * so an absent sample means zero.
     */
    public double counter(String name, String... labelPairs) {
        return value(name, labelPairs).orElse(0);
    }

    /** The sum of every sample of {@code name} whose labels include these ({@code "k1", "v1", ...}); 0 when none. */
    public double sum(String name, String... labelPairs) {
        Map<String, String> want = pairs(labelPairs);
        return samples(name).stream().filter(s -> s.labels().entrySet().containsAll(want.entrySet())).mapToDouble(Sample::value).sum();
    }

    /** The samples of {@code name} summed by the value of one label (e.g. {@code event}), across its other labels. */
    public Map<String, Double> sumBy(String name, String label) {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (Sample s : samples(name)) {
            out.merge(s.labels().get(label), s.value(), Double::sum);
        }
        return out;
    }

    /** Every sample of {@code name}, keyed by the value of one label (e.g. {@code event}). */
    public Map<String, Double> byLabel(String name, String label) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Sample s : samples(name)) {
            String key = s.labels().get(label);
            if (out.put(key, s.value()) != null) {
                throw new AssertionError("two samples " + name + " with " + label + "=" + key);
            }
        }
        return out;
    }

    /**
     * The series that changed between two {@link #byLabel} maps, by how much (a series that appeared counts from zero;
     * unchanged ones are left out): {@code {requested=1.0, refused=1.0}}.
     */
    public static Map<String, Double> moved(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new java.util.TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            double d = after.getOrDefault(k, 0.0) - before.getOrDefault(k, 0.0);
            if (d != 0) {
                out.put(k, d);
            }
        }
        return out;
    }

    private static Map<String, String> pairs(String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in pairs: name, value");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            m.put(labelPairs[i], labelPairs[i + 1]);
        }
        return m;
    }

    /** Reads one sample line left to right. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        Sample sample() {
            String name = name(true);
            Map<String, String> labels = new LinkedHashMap<>();
            if (peek() == '{') {
                i++;
                skipSpaces();
                while (peek() != '}') {
                    String label = name(false);
                    skipSpaces();
                    expect('=');
                    skipSpaces();
                    if (labels.put(label, quoted()) != null) {
                        throw new IllegalArgumentException("label " + label + " twice");
                    }
                    skipSpaces();
                    if (peek() == ',') {
                        i++;
                        skipSpaces();
                    } else if (peek() != '}') {
                        throw new IllegalArgumentException("expected , or } at " + i);
                    }
                }
                i++;
            }
            if (i >= s.length() || (s.charAt(i) != ' ' && s.charAt(i) != '\t')) {
                throw new IllegalArgumentException("no value");
            }
            String[] rest = s.substring(i).strip().split("[ \t]+");
            if (rest.length > 2) {
                throw new IllegalArgumentException("extra text after the value");
            }
            if (rest.length == 2) {
                Long.parseLong(rest[1]); // the timestamp, in ms
            }
            return new Sample(name, Collections.unmodifiableMap(labels), number(rest[0]));
        }

        private String name(boolean metric) {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                boolean ok = Character.isLetter(c) && c < 128 || c == '_' || (metric && c == ':') || (i > start && Character.isDigit(c));
                if (!ok) {
                    break;
                }
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("expected a name at " + start);
            }
            return s.substring(start, i);
        }

        private String quoted() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"' -> b.append('"');
                        case '\\' -> b.append('\\');
                        case 'n' -> b.append('\n');
                        default -> throw new IllegalArgumentException("bad escape \\" + e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private void skipSpaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private static double number(String v) {
            return switch (v) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                        throw new IllegalArgumentException("bad value " + v);
                    }
                    yield Double.parseDouble(v);
                }
            };
        }
    }
}
