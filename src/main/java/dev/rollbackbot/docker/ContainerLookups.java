package dev.rollbackbot.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import dev.rollbackbot.docker.ContainerEngine.ContainerInfo;
import dev.rollbackbot.docker.ContainerEngine.ImageInfo;
import dev.rollbackbot.docker.ContainerInside.ProcessInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads containers, images and a container's processes from the engine and maps the answers to our records. */
final class ContainerLookups {
    private final EngineConnection engine;

    ContainerLookups(EngineConnection engine) {
        this.engine = engine;
    }

    Optional<ContainerInfo> container(String nameOrId) {
        return engine.call("inspect container " + nameOrId, () -> {
            try {
                InspectContainerResponse r = engine.client().inspectContainerCmd(nameOrId).exec();
                String name = r.getName() == null ? nameOrId : r.getName().replaceFirst("^/", "");
                boolean running = r.getState() != null && Boolean.TRUE.equals(r.getState().getRunning());
                String status = r.getState() == null ? "unknown" : r.getState().getStatus();
                return Optional.of(new ContainerInfo(r.getId(), name, r.getConfig().getImage(), r.getImageId(), running, status,
                        networks(r)));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** The networks a container is attached to, by name; its network mode when it lists none (host, none, container:x). */
    private static List<String> networks(InspectContainerResponse r) {
        if (r.getNetworkSettings() != null && r.getNetworkSettings().getNetworks() != null
                && !r.getNetworkSettings().getNetworks().isEmpty()) {
            return List.copyOf(r.getNetworkSettings().getNetworks().keySet());
        }
        String mode = r.getHostConfig() == null ? null : r.getHostConfig().getNetworkMode();
        return mode == null ? List.of() : List.of(mode);
    }

    Optional<ImageInfo> image(String reference) {
        return engine.call("inspect image " + reference, () -> {
            try {
                InspectImageResponse r = engine.client().inspectImageCmd(reference).exec();
                return Optional.of(new ImageInfo(r.getId(), r.getRepoTags() == null ? List.of() : r.getRepoTags(),
                        Instant.parse(r.getCreated())));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    List<ImageInfo> images() {
        return engine.call("list images", () -> {
            List<ImageInfo> out = new ArrayList<>();
            for (Image i : engine.client().listImagesCmd().exec()) {
                List<String> tags = i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags());
                out.add(new ImageInfo(i.getId(), tags, Instant.ofEpochSecond(i.getCreated() == null ? 0 : i.getCreated())));
            }
            return out;
        });
    }

    /**
     * The engine's {@code top}. Podman answers {@code ps_args=pid,args} itself (its own ps descriptors, so the container
     * needs no {@code ps}; with its default arguments it runs {@code ps} inside the container and answers an empty body
     * when there is none); Docker runs the host's {@code ps} and refuses those arguments, so it is then asked with its
     * default. Rows are read as whitespace-separated words (Docker splits them into the title's columns, podman's
     * in-container ps gives one string), the pid at the title's {@code PID} word, the command after the last title.
     */
    List<ProcessInfo> processes(String container) {
        return engine.call("list the processes of " + container, () -> {
            TopContainerResponse top;
            try {
                top = engine.client().topContainerCmd(container).withPsArgs("pid,args").exec();
            } catch (RuntimeException notPodman) {
                top = engine.client().topContainerCmd(container).exec();
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
}
