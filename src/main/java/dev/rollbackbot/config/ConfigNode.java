package dev.rollbackbot.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A YAML mapping read strictly: each read names its key, every problem is recorded with the key's full path,
 * and {@link #finish()} reports any key nobody read (so a typo cannot silently switch a setting off).
 */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigNode(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String what) {
        problems.add(keyPath(key) + ": " + what);
    }

    boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    Optional<String> optString(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            problem(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
            return Optional.empty();
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            problem(key, "is empty");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    Optional<String> optString(String key, Pattern form, String formDescription) {
        Optional<String> s = optString(key);
        if (s.isPresent() && !form.matcher(s.get()).matches()) {
            problem(key, "'" + s.get() + "' is not " + formDescription);
            return Optional.empty();
        }
        return s;
    }

    String requiredString(String key, Pattern form, String formDescription) {
        if (!has(key)) {
            problem(key, "is missing (" + formDescription + ")");
            return null;
        }
        return optString(key, form, formDescription).orElse(null);
    }

    Duration duration(String key, Duration fallback) {
        return duration(key, fallback, false);
    }

    /** A duration that may be {@code 0s} when {@code zeroAllowed} (a monitor's start period). */
    Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = Durations.parse(s.get());
        if (d.isEmpty()) {
            problem(key, "'" + s.get() + "' is not a duration: write a number and a unit, e.g. 500ms, 30s, 15m or 1h");
            return fallback;
        }
        if (d.get().isZero() && !zeroAllowed) {
            problem(key, "must be longer than 0");
            return fallback;
        }
        return d.get();
    }

    int integer(String key, int fallback, int min, int max) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(s.get());
            if (n < min || n > max) {
                problem(key, n + " is out of range: use a whole number from " + min + " to " + max);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "'" + s.get() + "' is not a whole number");
            return fallback;
        }
    }

    boolean bool(String key, boolean fallback) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return fallback;
        }
        return switch (s.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, "'" + s.get() + "' is not true or false");
                yield fallback;
            }
        };
    }

    List<String> strings(String key, Pattern form, String formDescription) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "must be a list, e.g. [a, b]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String s = item.isValueNode() ? item.asText().trim() : "";
            if (!form.matcher(s).matches()) {
                problems.add(keyPath(key) + "[" + i + "]: '" + s + "' is not " + formDescription);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    Optional<ConfigNode> child(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping of keys to values");
            return Optional.empty();
        }
        return Optional.of(new ConfigNode(v, keyPath(key), problems));
    }

    List<ConfigNode> children(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "must be a list of mappings");
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                problems.add(keyPath(key) + "[" + i + "]: must be a mapping, e.g. {name: L1, ...}");
            } else {
                out.add(new ConfigNode(v.get(i), keyPath(key) + "[" + i + "]", problems));
            }
        }
        return out;
    }

    /** Each entry of a mapping whose keys are names (services, datastores), read by {@code reader}. */
    <T> Map<String, T> named(String key, Pattern nameForm, String nameDescription, Function<ConfigNode, T> reader) {
        Optional<ConfigNode> section = child(key);
        Map<String, T> out = new LinkedHashMap<>();
        if (section.isEmpty()) {
            return out;
        }
        ConfigNode s = section.get();
        s.node.fieldNames().forEachRemaining(name -> {
            s.known.add(name);
            if (!nameForm.matcher(name).matches()) {
                s.problem(name, "'" + name + "' is not " + nameDescription);
                return;
            }
            if (!s.has(name)) {
                s.problem(name, "is empty: give its settings");
                return;
            }
            s.child(name).ifPresent(c -> {
                T value = reader.apply(c);
                if (value != null) {
                    out.put(name, value);
                }
                c.finish();
            });
        });
        return out;
    }

    /** Records every key of this mapping that no read asked for. */
    /** The value under {@code key} as written (a missing node when absent), for checks that look ahead. */
    JsonNode raw(String key) {
        return node.path(key);
    }

    void finish() {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problem(k, "unknown key; valid keys here: " + String.join(", ", known));
            }
        });
    }
}
