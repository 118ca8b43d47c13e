package dev.rollbackbot.docker;

import com.github.dockerjava.api.model.Ulimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Resource limits as a create request must name them. Podman's inspect reports the kernel's names
 * ({@code RLIMIT_NOFILE}) but, like Docker, only takes Docker's short ones ({@code nofile}) back: "invalid ulimit type:
 * RLIMIT_NOFILE". Values are kept as reported, -1 meaning unlimited on both engines.
 */
final class Ulimits {
    /** The names Docker (go-units) takes; podman 4.3 takes all but {@code as}. */
    static final Set<String> DOCKER_NAMES = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /** The limits to create with, and a line for each one that no engine would take back. */
    record Translated(List<Ulimit> ulimits, List<String> uncopied) {
    }

    private Ulimits() {
    }

    /** {@code RLIMIT_NOFILE} and {@code nofile} give {@code nofile}; a name Docker does not know gives nothing. */
    static Optional<String> dockerName(String reported) {
        if (reported == null) {
            return Optional.empty();
        }
        String n = reported.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith("rlimit_")) {
            n = n.substring("rlimit_".length());
        }
        return DOCKER_NAMES.contains(n) ? Optional.of(n) : Optional.empty();
    }

    static Translated translate(Ulimit[] reported) {
        List<Ulimit> out = new ArrayList<>();
        List<String> uncopied = new ArrayList<>();
        if (reported == null) {
            return new Translated(out, uncopied);
        }
        for (Ulimit u : reported) {
            Optional<String> name = dockerName(u.getName());
            if (name.isPresent()) {
                out.add(new Ulimit(name.get(), value(u.getSoftLong()), value(u.getHardLong())));
            } else {
                uncopied.add("ulimit " + u.getName() + "=" + describe(u.getSoftLong()) + ":" + describe(u.getHardLong())
                        + ": not a limit name the engine takes in a create request, so it cannot be given again");
            }
        }
        return new Translated(out, uncopied);
    }

    private static long value(Long v) {
        return v == null ? -1 : v;
    }

    private static String describe(Long v) {
        return v == null || v < 0 ? "unlimited" : v.toString();
    }
}
