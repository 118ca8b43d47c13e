package dev.rollbackbot.docker;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * What the checks before a swap read from the engine: the service's container, the approved image, whatever holds the
 * kept name, and the prepared replacement. The four lookups do not depend on each other, so they are made at once and
 * cost one round trip; the runner may begin them just before it records the step's start, so they overlap that.
 */
final class SwapLookups {
    private final String preparedId;
    private final Future<Optional<ContainerEngine.ContainerInfo>> current;
    private final Future<Optional<ContainerEngine.ImageInfo>> image;
    private final Future<Optional<ContainerEngine.ContainerInfo>> kept;
    private final Future<Optional<ContainerEngine.ContainerInfo>> prepared;

    private SwapLookups(ContainerEngine engine, String container, String targetImage, String keptName, String preparedId) {
        this.preparedId = preparedId;
        this.current = EngineCalls.start(() -> engine.container(container));
        this.image = EngineCalls.start(() -> engine.image(targetImage));
        this.kept = EngineCalls.start(() -> engine.container(keptName));
        this.prepared = preparedId == null ? CompletableFuture.completedFuture(Optional.empty())
                : EngineCalls.start(() -> engine.container(preparedId));
    }

    static SwapLookups start(ContainerEngine engine, String container, String targetImage, String keptName, String preparedId) {
        return new SwapLookups(engine, container, targetImage, keptName, preparedId);
    }

    /** True when these lookups asked about {@code preparedId} (the replacement the swap knows of now). */
    boolean about(String preparedId) {
        return Objects.equals(this.preparedId, preparedId);
    }

    Optional<ContainerEngine.ContainerInfo> current() throws InterruptedException {
        return EngineCalls.await(current);
    }

    Optional<ContainerEngine.ImageInfo> image() throws InterruptedException {
        return EngineCalls.await(image);
    }

    Optional<ContainerEngine.ContainerInfo> kept() throws InterruptedException {
        return EngineCalls.await(kept);
    }

    Optional<ContainerEngine.ContainerInfo> prepared() throws InterruptedException {
        return EngineCalls.await(prepared);
    }
}
