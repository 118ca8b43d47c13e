package dev.rollbackbot.rollback;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A saved checkpoint read back: the {@code key=value;key=value} text every {@link Recovery} writes. A key that is
 * missing (an older or shorter checkpoint) leaves the reader's value as it was.
 */
public final class Checkpoint {
    private final Map<String, String> values;

    private Checkpoint(Map<String, String> values) {
        this.values = values;
    }

    public static Checkpoint parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String kv : text == null ? new String[0] : text.split(";")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2) {
                values.put(p[0], p[1]);
            }
        }
        return new Checkpoint(Collections.unmodifiableMap(values));
    }

    /** The key's true/false, or {@code otherwise} when the checkpoint does not have it. */
    public boolean flag(String key, boolean otherwise) {
        String v = values.get(key);
        return v == null ? otherwise : Boolean.parseBoolean(v);
    }

    /** The key's text; empty when missing, and when saved empty (an id not known yet). */
    public Optional<String> text(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Every key and value, in the order written. */
    public Map<String, String> all() {
        return values;
    }
}
