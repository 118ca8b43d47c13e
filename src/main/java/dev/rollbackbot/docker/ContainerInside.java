package dev.rollbackbot.docker;

import java.util.List;

/**
 * What is inside a running container, through the engine's API (never a shell): one file read or written whole through
 * the archive API, and the container's processes. Failures are {@link EngineException}s.
 */
public interface ContainerInside {
    /** One process of a container: its id as the engine reports it, and its command line. */
    record ProcessInfo(String pid, String command) {
    }

    /** The content of the regular file {@code path} inside {@code container}. */
    String readFile(String container, String path);

    /** Writes {@code path} inside {@code container} (mode 0644), creating or replacing it. */
    void writeFile(String container, String path, String content);

    List<ProcessInfo> processes(String container);
}
