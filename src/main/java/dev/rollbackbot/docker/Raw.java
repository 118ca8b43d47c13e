package dev.rollbackbot.docker;

import com.github.dockerjava.api.model.DockerObject;
import java.util.Collection;
import java.util.Map;

/**
 * Fields of an inspect answer that docker-java 3.7.1's model has no getter for (e.g. {@code Config.StopSignal},
 * {@code Config.StopTimeout}). docker-java keeps the whole answer as JSON maps in the top object's
 * {@link DockerObject#getRawValues()} (nested objects get none), so they are looked up by path from there.
 */
final class Raw {
    private Raw() {
    }

    /** The value at {@code path} in the answer {@code root} was read from: {@code at(inspect, "Config", "StopSignal")}. */
    static Object at(DockerObject root, String... path) {
        Object v = root == null ? null : root.getRawValues();
        for (String key : path) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(key);
        }
        return v;
    }

    static String string(DockerObject root, String... path) {
        Object v = at(root, path);
        return v == null ? null : v.toString();
    }

    static Integer integer(DockerObject root, String... path) {
        Object v = at(root, path);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s && s.matches("-?\\d{1,9}")) {
            return Integer.valueOf(s);
        }
        return null;
    }

    static long number(DockerObject root, String... path) {
        return at(root, path) instanceof Number n ? n.longValue() : 0;
    }

    /** True for a non-empty string, list or map. */
    static boolean present(Object v) {
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return v != null;
    }
}
