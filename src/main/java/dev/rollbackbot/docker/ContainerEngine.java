package dev.rollbackbot.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The few container-engine operations a Docker rollback needs. Failures are {@link EngineException}s. */
public interface ContainerEngine {

    record ContainerInfo(String id, String name, String image, String imageId, boolean running, String status) {
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
     * environment, command, ports, mounts, networks, labels, restart policy and resources, less what the template's
     * own image supplied (so the new image's defaults apply). Returns the new container's id.
     */
    String createLike(String template, String name, String image);

    ExecResult exec(String container, List<String> command, Duration timeout);

    /** The running container's settings that a replacement made by {@link #createLike} would not get, as plain text. */
    default List<String> uncopiedSettings(String container) {
        return List.of();
    }
}
