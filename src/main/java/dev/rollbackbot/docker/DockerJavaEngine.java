package dev.rollbackbot.docker;

import dev.rollbackbot.common.Errors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerEngine} and {@link ContainerInside} over the Docker Engine API (Docker, or podman's compatible service) with docker-java. */
public final class DockerJavaEngine implements ContainerEngine, ContainerInside, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerJavaEngine.class);

    private static final ObjectMapper ERROR_JSON = new ObjectMapper();

    /** The client and what uses it, built on first use: loading docker-java is kept off the start-up path. */
    private record Connected(DockerClient client, Replacements replacements, String host) {
    }

    private final String requestedHost;
    private volatile Connected connected;

    private DockerJavaEngine(String requestedHost) {
        this.requestedHost = requestedHost;
    }

    /**
     * An engine at {@code dockerHost} (e.g. {@code unix:///run/podman/podman.sock}); null means docker-java's default.
     * Nothing is loaded or connected until the first call.
     */
    public static DockerJavaEngine connect(String dockerHost) {
        return new DockerJavaEngine(dockerHost == null || dockerHost.isBlank() ? null : dockerHost);
    }

    private Connected connected() {
        Connected c = connected;
        if (c == null) {
            synchronized (this) {
                c = connected;
                if (c == null) {
                    DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder();
                    if (requestedHost != null) {
                        b.withDockerHost(requestedHost);
                    }
                    DockerClientConfig config = b.build();
                    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                            .dockerHost(config.getDockerHost())
                            .sslConfig(config.getSSLConfig())
                            .maxConnections(32)
                            .connectionTimeout(Duration.ofSeconds(3))
                            .responseTimeout(Duration.ofSeconds(90))
                            .build();
                    DockerClient client = DockerClientImpl.getInstance(config, http);
                    c = new Connected(client, new Replacements(client), config.getDockerHost().toString());
                    connected = c;
                }
            }
        }
        return c;
    }

    private DockerClient client() {
        return connected().client();
    }

    @Override
    public String describe() {
        Connected c = connected;
        if (c != null) {
            return c.host();
        }
        String env = System.getenv("DOCKER_HOST");
        return requestedHost != null ? requestedHost : env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
    }

    @Override
    public void ping() {
        call("ping", () -> client().pingCmd().exec());
    }

    @Override
    public Optional<ContainerInfo> container(String nameOrId) {
        return call("inspect container " + nameOrId, () -> {
            try {
                InspectContainerResponse r = client().inspectContainerCmd(nameOrId).exec();
                String name = r.getName() == null ? nameOrId : r.getName().replaceFirst("^/", "");
                boolean running = r.getState() != null && Boolean.TRUE.equals(r.getState().getRunning());
                String status = r.getState() == null ? "unknown" : r.getState().getStatus();
                return Optional.of(new ContainerInfo(r.getId(), name, r.getConfig().getImage(), r.getImageId(), running, status));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        return call("inspect image " + reference, () -> {
            try {
                InspectImageResponse r = client().inspectImageCmd(reference).exec();
                return Optional.of(new ImageInfo(r.getId(), r.getRepoTags() == null ? List.of() : r.getRepoTags(),
                        Instant.parse(r.getCreated())));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public List<ImageInfo> images() {
        return call("list images", () -> {
            List<ImageInfo> out = new ArrayList<>();
            for (Image i : client().listImagesCmd().exec()) {
                List<String> tags = i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags());
                out.add(new ImageInfo(i.getId(), tags, Instant.ofEpochSecond(i.getCreated() == null ? 0 : i.getCreated())));
            }
            return out;
        });
    }

    @Override
    public void rename(String nameOrId, String newName) {
        call("rename " + nameOrId + " to " + newName, () -> client().renameContainerCmd(nameOrId).withName(newName).exec());
    }

    @Override
    public void stop(String nameOrId, Duration timeout) {
        call("stop " + nameOrId, () -> {
            try {
                client().stopContainerCmd(nameOrId).withTimeout((int) Math.max(1, timeout.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                log.debug("{} was already stopped", nameOrId);
            }
            return null;
        });
    }

    @Override
    public void start(String nameOrId) {
        call("start " + nameOrId, () -> {
            try {
                client().startContainerCmd(nameOrId).exec();
            } catch (NotModifiedException alreadyRunning) {
                log.debug("{} was already running", nameOrId);
            }
            return null;
        });
    }

    @Override
    public void remove(String nameOrId) {
        call("remove " + nameOrId, () -> {
            try {
                client().removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(false).exec();
            } catch (NotFoundException gone) {
                log.debug("{} was already removed", nameOrId);
            }
            return null;
        });
    }

    @Override
    public String createLike(String template, String name, String image, String imageId) {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("createLike needs the approved image id of " + image);
        }
        return call("create " + name + " from " + image, () -> connected().replacements().create(template, name, image, imageId));
    }

    @Override
    public List<String> uncopiedSettings(String container) {
        return call("read the settings of " + container, () -> connected().replacements().uncopied(container));
    }

    @Override
    public ExecResult exec(String container, List<String> command, Duration timeout) {
        return exec(container, command, java.util.Map.of(), timeout);
    }

    @Override
    public ExecResult exec(String container, List<String> command, java.util.Map<String, String> env, Duration timeout) {
        return call("exec in " + container, () -> {
            var create = client().execCreateCmd(container).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true);
            if (!env.isEmpty()) {
                create = create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
            String execId = create.exec().getId();
            StringBuilder out = new StringBuilder();
            try (ResultCallback.Adapter<Frame> cb = client().execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        if (out.length() < 8_000) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                }
            })) {
                if (!cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return new ExecResult(-1, "no answer within " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecResult(-1, "interrupted");
            } catch (IOException e) {
                log.debug("closing exec stream", e);
            }
            Long code = client().inspectExecCmd(execId).exec().getExitCodeLong();
            synchronized (out) {
                return new ExecResult(code == null ? -1 : code.intValue(), out.toString().strip());
            }
        });
    }

    @Override
    public boolean copyOut(String container, String path, java.nio.file.Path local) {
        return call("copy " + path + " out of " + container, () -> {
            try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                    client().copyArchiveFromContainerCmd(container, path).exec())) {
                var entry = tar.getNextEntry();
                while (entry != null && !entry.isFile()) {
                    entry = tar.getNextEntry();
                }
                if (entry == null) {
                    return false;
                }
                java.nio.file.Files.copy(tar, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return true;
            } catch (NotFoundException e) {
                return false;
            } catch (IOException e) {
                throw new EngineException("could not copy " + path + " out of " + container + ": " + e.getMessage());
            }
        });
    }

    @Override
    public String readFile(String container, String path) {
        return call("read " + path + " in " + container, () -> {
            try (InputStream in = client().copyArchiveFromContainerCmd(container, path).exec()) {
                return Tar.firstFile(in, path + " in " + container);
            } catch (IOException e) {
                throw new EngineException("could not read " + path + " in container " + container + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void copyIn(String container, String dir, String name, java.nio.file.Path local) {
        call("copy " + name + " into " + container + ":" + dir, () -> {
            java.nio.file.Path tarFile = null;
            try {
                tarFile = java.nio.file.Files.createTempFile("rollback-bot-copy", ".tar");
                try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                        java.nio.file.Files.newOutputStream(tarFile))) {
                    tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
                    var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
                    entry.setSize(java.nio.file.Files.size(local));
                    entry.setMode(0100644);
                    tar.putArchiveEntry(entry);
                    java.nio.file.Files.copy(local, tar);
                    tar.closeArchiveEntry();
                }
                try (var in = java.nio.file.Files.newInputStream(tarFile)) {
                    client().copyArchiveToContainerCmd(container).withRemotePath(dir).withTarInputStream(in).exec();
                }
                return null;
            } catch (IOException e) {
                throw new EngineException("could not copy " + name + " into " + container + ": " + e.getMessage());
            } finally {
                if (tarFile != null) {
                    tarFile.toFile().delete();
                }
            }
        });
    }

    @Override
    public void writeFile(String container, String path, String content) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        call("write " + path + " in " + container, () -> {
            try (InputStream tar = new ByteArrayInputStream(Tar.oneFile(path.substring(slash + 1), content))) {
                client().copyArchiveToContainerCmd(container).withRemotePath(dir).withTarInputStream(tar).exec();
                return null;
            } catch (IOException e) {
                throw new EngineException("could not write " + path + " in container " + container + ": " + e.getMessage());
            }
        });
    }

    /**
     * The engine's {@code top}. Podman answers {@code ps_args=pid,args} itself (its own ps descriptors, so the container
     * needs no {@code ps}; with its default arguments it runs {@code ps} inside the container and answers an empty body
     * when there is none); Docker runs the host's {@code ps} and refuses those arguments, so it is then asked with its
     * default. Rows are read as whitespace-separated words (Docker splits them into the title's columns, podman's
     * in-container ps gives one string), the pid at the title's {@code PID} word, the command after the last title.
     */
    @Override
    public List<ProcessInfo> processes(String container) {
        return call("list the processes of " + container, () -> {
            TopContainerResponse top;
            try {
                top = client().topContainerCmd(container).withPsArgs("pid,args").exec();
            } catch (RuntimeException notPodman) {
                top = client().topContainerCmd(container).exec();
            }
            List<String> titles = List.of(String.join(" ", top.getTitles()).strip().split("\\s+"));
            int pid = titles.indexOf("PID");
            List<ProcessInfo> out = new ArrayList<>();
            for (String[] row : top.getProcesses() == null ? new String[0][] : top.getProcesses()) {
                String[] words = String.join(" ", row).strip().split("\\s+", titles.size());
                if (pid >= 0 && words.length == titles.size()) {
                    out.add(new ProcessInfo(words[pid], words[titles.size() - 1]));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        Connected c = connected;
        if (c == null) {
            return;
        }
        try {
            c.client().close();
        } catch (IOException e) {
            log.debug("closing the engine client", e);
        }
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (DockerException e) {
            throw new EngineException("the container engine at " + describe() + " refused to " + what + ": " + engineMessage(e));
        } catch (RuntimeException e) {
            if (e instanceof EngineException) {
                throw e;
            }
            log.warn("container engine call failed: {}: {}", what, Errors.rootDescription(e));
            log.debug("container engine call failed", e);
            throw new EngineException("could not " + what + ": the container engine at " + describe() + " is unreachable ("
                    + Errors.rootDescription(e) + "). Check that it runs and that DOCKER_HOST points at it.");
        }
    }

    /** The engine's own {@code message} from the JSON error body (podman's contain escaped quotes), else the text. */
    static String engineMessage(DockerException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int brace = m.indexOf("{\"");
        if (brace >= 0) {
            try {
                JsonNode body = ERROR_JSON.readTree(m.substring(brace, m.lastIndexOf('}') + 1));
                if (body.hasNonNull("message")) {
                    return body.get("message").asText();
                }
            } catch (JsonProcessingException | RuntimeException notJson) {
                log.debug("engine error is not JSON: {}", m);
            }
        }
        return m.replace('\n', ' ').strip() + " (HTTP " + e.getHttpStatus() + ")";
    }
}
