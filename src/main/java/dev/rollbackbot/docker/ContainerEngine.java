package dev.rollbackbot.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The few container-engine operations a Docker rollback needs. Failures are {@link EngineException}s. */
public interface ContainerEngine {

    /** A container; {@code networks} are the networks it is attached to, by name (its network mode when it has none). */
    record ContainerInfo(String id, String name, String image, String imageId, boolean running, String status,
            List<String> networks) {
        /** The networks every engine has, on which no container is found by its name ({@code host}: names do not apply). */
        private static final java.util.Set<String> NAMELESS = java.util.Set.of("", "bridge", "podman", "default", "host", "none");

        public ContainerInfo {
            networks = List.copyOf(networks);
        }

        public ContainerInfo(String id, String name, String image, String imageId, boolean running, String status) {
            this(id, name, image, imageId, running, status, List.of());
        }

        /**
         * True when another container may find this one by its name: it is on a network of its own making (Docker's
         * and podman's user-defined networks resolve container names; the default bridge does not). Podman does not
         * move that name to a container renamed while it runs, so such a replacement must have the name before it starts.
         */
        public boolean foundByName() {
            return networks.stream().anyMatch(n -> !NAMELESS.contains(n) && !n.startsWith("container:"));
        }
    }

    record ImageInfo(String id, List<String> tags, Instant created) {
    }

    record ExecResult(int exitCode, String output) {
    }

    /** Where the engine is, for messages: {@code unix:///run/podman/podman.sock}. */
    String describe();

    void ping();

    Optional<ContainerInfo> container(String nameOrId);

    Optional<ImageInfo> image(String reference);

    List<ImageInfo> images();

    void rename(String nameOrId, String newName);

    /** Stops a container; a container that is already stopped is fine. */
    void stop(String nameOrId, Duration timeout);

    void start(String nameOrId);

    void remove(String nameOrId);

    /**
     * Creates (not starts) a container named {@code name} from {@code image} with the settings of {@code template}:
     * environment, command, ports, mounts, networks, labels, restart policy, resources and limits, less what the
     * template's own image supplied (so the new image's defaults apply). Returns the new container's id.
     *
     * <p>{@code image} is the human reference ({@code localhost/app:v1}) and {@code imageId} the id it was approved as
     * ({@code sha256:...}, as inspect gives it). The new container runs exactly {@code imageId}: when {@code image} no
     * longer points at it (the tag was moved since approval), nothing is left behind and an {@link EngineException}
     * says so. The new container's {@link ContainerInfo#image()} is {@code image}, its {@link ContainerInfo#imageId()}
     * is {@code imageId}.
     *
     * @throws IllegalArgumentException when {@code imageId} is null or blank (nothing is done)
     */
    String createLike(String template, String name, String image, String imageId);

    /**
     * The settings of {@code container} that a replacement made by {@link #createLike} would NOT get, one plain-text
     * line each (no Slack markup), naming the setting, its value and why: {@code "block IO weight 300: rollback-bot
     * does not carry this setting over to a replacement"}. Empty when everything is copied.
     */
    List<String> uncopiedSettings(String container);

    ExecResult exec(String container, List<String> command, Duration timeout);

    /** {@link #exec} with environment variables for the command only (e.g. a password): never part of the command line. */
    default ExecResult exec(String container, List<String> command, java.util.Map<String, String> env, Duration timeout) {
        if (!env.isEmpty()) {
            throw new EngineException(describe() + " cannot give a command environment variables");
        }
        return exec(container, command, timeout);
    }

    /**
     * Copies the file {@code path} of a container (running or stopped) into {@code local} through the archive API;
     * false when the container has no such file.
     */
    default boolean copyOut(String container, String path, java.nio.file.Path local) {
        throw new EngineException(describe() + " cannot copy files out of containers");
    }

    /** Writes {@code local} into a container (running or stopped) as {@code dir/name} through the archive API. */
    default void copyIn(String container, String dir, String name, java.nio.file.Path local) {
        throw new EngineException(describe() + " cannot copy files into containers");
    }
}
