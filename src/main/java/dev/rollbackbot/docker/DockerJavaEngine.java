package dev.rollbackbot.docker;

import com.github.dockerjava.api.exception.DockerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ContainerEngine} and {@link ContainerInside} over the Docker Engine API (Docker, or podman's compatible service)
 * with docker-java. A facade: lookups are in {@link ContainerLookups}, lifecycle calls in {@link ContainerLifecycle},
 * exec in {@link ContainerExec}, files in {@link ContainerArchives}, the client in {@link EngineConnection} and error
 * translation in {@link EngineErrors}.
 */
public final class DockerJavaEngine implements ContainerEngine, ContainerInside, AutoCloseable {
    private final EngineConnection engine;
    private final ContainerLookups lookups;
    private final ContainerLifecycle lifecycle;
    private final ContainerExec execs;
    private final ContainerArchives archives;

    private DockerJavaEngine(String requestedHost) {
        this.engine = new EngineConnection(requestedHost);
        this.lookups = new ContainerLookups(engine);
        this.lifecycle = new ContainerLifecycle(engine);
        this.execs = new ContainerExec(engine);
        this.archives = new ContainerArchives(engine);
    }

    /**
     * An engine at {@code dockerHost} (e.g. {@code unix:///run/podman/podman.sock}); null means docker-java's default.
     * Nothing is loaded or connected until the first call.
     */
    public static DockerJavaEngine connect(String dockerHost) {
        return new DockerJavaEngine(dockerHost == null || dockerHost.isBlank() ? null : dockerHost);
    }

    @Override
    public String describe() {
        return engine.describe();
    }

    @Override
    public void ping() {
        engine.call("ping", () -> engine.client().pingCmd().exec());
    }

    @Override
    public Optional<ContainerInfo> container(String nameOrId) {
        return lookups.container(nameOrId);
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        return lookups.image(reference);
    }

    @Override
    public List<ImageInfo> images() {
        return lookups.images();
    }

    @Override
    public void rename(String nameOrId, String newName) {
        lifecycle.rename(nameOrId, newName);
    }

    @Override
    public void stop(String nameOrId, Duration timeout) {
        lifecycle.stop(nameOrId, timeout);
    }

    @Override
    public void start(String nameOrId) {
        lifecycle.start(nameOrId);
    }

    @Override
    public void remove(String nameOrId) {
        lifecycle.remove(nameOrId);
    }

    @Override
    public String createLike(String template, String name, String image, String imageId) {
        return lifecycle.createLike(template, name, image, imageId);
    }

    @Override
    public List<String> uncopiedSettings(String container) {
        return lifecycle.uncopiedSettings(container);
    }

    @Override
    public ExecResult exec(String container, List<String> command, Duration timeout) {
        return exec(container, command, Map.of(), timeout);
    }

    @Override
    public ExecResult exec(String container, List<String> command, Map<String, String> env, Duration timeout) {
        return execs.exec(container, command, env, timeout);
    }

    @Override
    public boolean copyOut(String container, String path, Path local) {
        return archives.copyOut(container, path, local);
    }

    @Override
    public String readFile(String container, String path) {
        return archives.readFile(container, path);
    }

    @Override
    public void copyIn(String container, String dir, String name, Path local) {
        archives.copyIn(container, dir, name, local);
    }

    @Override
    public void writeFile(String container, String path, String content) {
        archives.writeFile(container, path, content);
    }

    /** See {@link ContainerLookups#processes}. */
    @Override
    public List<ProcessInfo> processes(String container) {
        return lookups.processes(container);
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The engine's own {@code message} from its error (see {@link EngineErrors#engineMessage}). */
    static String engineMessage(DockerException e) {
        return EngineErrors.engineMessage(e);
    }
}
