package dev.rollbackbot.docker;

import java.util.List;
import java.util.Locale;

/**
 * Compares stop signals however an engine spells them: Docker reports {@code SIGKILL}, podman {@code 9}. Both take
 * either form back in a create request, so the reported text is what gets copied.
 */
final class StopSignals {
    /** Linux signal numbers 1..31, by name without "SIG". */
    private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    /** What a container gets when neither it nor its image names one. */
    static final String ENGINE_DEFAULT = "SIGTERM";

    private StopSignals() {
    }

    /**
     * The container's own stop signal, to give to a replacement from another image; null when it is the one the old
     * image supplied (or the engine's default), so the new image's own choice applies.
     */
    static String toCopy(String container, String oldImage) {
        if (container == null || container.isBlank()) {
            return null;
        }
        String imageDefault = oldImage == null || oldImage.isBlank() ? ENGINE_DEFAULT : oldImage;
        return same(container, imageDefault) ? null : container;
    }

    static boolean same(String a, String b) {
        return normal(a).equals(normal(b));
    }

    /** {@code SIGKILL}, {@code kill} and {@code 9} all give {@code 9}; what is not a known signal stays as written. */
    static String normal(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        int i = NAMES.indexOf(s);
        return i >= 0 ? String.valueOf(i + 1) : s;
    }
}
