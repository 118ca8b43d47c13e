package dev.rollbackbot.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Copies a container's own settings onto a create command for another image. What the old image supplied
 * (its environment, command, labels, working directory, stop signal) is left out, so the new image's defaults apply.
 * What is set on the old container but cannot be given to the replacement is named in {@link Replacement#uncopied()};
 * both come from the one pass in {@link #copy}, so the warnings shown before approval match what is created.
 *
 * <p>Copied: environment, command, entrypoint, labels, working directory, user, hostname, exposed ports, health check,
 * tty and open stdin; binds, volumes, mounts and tmpfs; port bindings, restart policy, network mode, networks with
 * their aliases and fixed addresses ({@link Endpoints}), extra hosts, DNS servers, search domains and options;
 * capabilities, privileged, read-only root, security options, devices, init, log config; memory limit, reservation,
 * swap and swappiness, nano CPUs, CPU shares, period and quota, cpuset CPUs and memory nodes, pids limit, ulimits
 * ({@link Ulimits}), OOM score and OOM-kill, cgroup parent, shm size, sysctls, IPC, PID and UTS modes, extra groups,
 * stop signal and stop timeout ({@link SettingRows}, which also lists what is only named).
 *
 * <p>Blind spots: what the engine does not report can be neither copied nor named. Podman 4.3 reports no sysctls,
 * {@code IpcMode: shareable} for a container in the host's IPC namespace (podman 4.4 fixed that), and no fixed
 * addresses (those are named, see {@link Endpoints}).
 */
final class ContainerSettings {

    /** The filled-in create command, and a plain-text line for each setting the replacement will not get. */
    record Replacement(CreateContainerCmd cmd, List<String> uncopied) {
    }

    private ContainerSettings() {
    }

    /**
     * Fills {@code cmd} (a create command for the new image, not yet sent) with the settings of {@code from}.
     * {@code fixedAddressesReported} is false for an engine whose inspect does not report fixed addresses (podman).
     */
    static Replacement copy(CreateContainerCmd cmd, InspectContainerResponse from, InspectImageResponse oldImage,
            boolean fixedAddressesReported) {
        ContainerConfig c = from.getConfig();
        ContainerConfig img = oldImage == null || oldImage.getConfig() == null ? new ContainerConfig() : oldImage.getConfig();
        List<String> uncopied = new ArrayList<>();

        List<String> env = new ArrayList<>(list(c.getEnv()));
        env.removeAll(list(img.getEnv()));
        env.removeIf(e -> e.startsWith("HOSTNAME="));
        cmd.withEnv(env);
        if (c.getCmd() != null && !Arrays.equals(c.getCmd(), img.getCmd())) {
            cmd.withCmd(c.getCmd());
        }
        if (c.getEntrypoint() != null && c.getEntrypoint().length > 0 && !Arrays.equals(c.getEntrypoint(), img.getEntrypoint())) {
            cmd.withEntrypoint(c.getEntrypoint());
        }
        Map<String, String> labels = new LinkedHashMap<>(c.getLabels() == null ? Map.of() : c.getLabels());
        if (img.getLabels() != null) {
            img.getLabels().forEach((k, v) -> labels.remove(k, v));
        }
        cmd.withLabels(labels);
        if (differs(c.getWorkingDir(), img.getWorkingDir()) && !"/".equals(c.getWorkingDir())) {
            cmd.withWorkingDir(c.getWorkingDir());
        }
        if (differs(c.getUser(), img.getUser())) {
            cmd.withUser(c.getUser());
        }
        String host = c.getHostName();
        // in the host's UTS namespace the name is the host's, and engines refuse to be given one
        boolean hostUts = "host".equals(from.getHostConfig().getUtSMode());
        if (host != null && !host.isEmpty() && !from.getId().startsWith(host) && !hostUts) {
            cmd.withHostName(host);
        }
        if (c.getExposedPorts() != null) {
            List<ExposedPort> ports = new ArrayList<>(List.of(c.getExposedPorts()));
            if (img.getExposedPorts() != null) {
                ports.removeAll(List.of(img.getExposedPorts()));
            }
            if (!ports.isEmpty()) {
                cmd.withExposedPorts(ports);
            }
        }
        if (c.getHealthcheck() != null && !c.getHealthcheck().equals(img.getHealthcheck())) {
            cmd.withHealthcheck(c.getHealthcheck());
        }
        cmd.withTty(c.getTty());
        HostConfig hostConfig = hostConfig(from);
        SettingRows.apply(new SettingRows.Source(from, oldImage), new SettingRows.Target(cmd, hostConfig, uncopied));
        cmd.withHostConfig(hostConfig);
        List<String> aliases = Endpoints.aliases(from, Endpoints.networkMode(from));
        if (!aliases.isEmpty()) {
            cmd.withAliases(aliases);
        }
        Endpoints.apply(from, cmd, fixedAddressesReported, uncopied);
        return new Replacement(cmd, List.copyOf(uncopied));
    }

    private static HostConfig hostConfig(InspectContainerResponse from) {
        HostConfig h = from.getHostConfig();
        List<Bind> binds = new ArrayList<>(h.getBinds() == null ? List.of() : List.of(h.getBinds()));
        java.util.Set<String> mounted = new java.util.HashSet<>();
        if (h.getMounts() != null) {
            h.getMounts().forEach(m -> mounted.add(m.getTarget()));
        }
        if (h.getTmpFs() != null) {
            mounted.addAll(h.getTmpFs().keySet());
        }
        if (from.getMounts() != null) {
            for (InspectContainerResponse.Mount m : from.getMounts()) {
                boolean bound = binds.stream().anyMatch(b -> b.getVolume().equals(m.getDestination()))
                        || (m.getDestination() != null && mounted.contains(m.getDestination().getPath()));
                if (!bound && m.getName() != null && !m.getName().isEmpty() && m.getDestination() != null) {
                    binds.add(new Bind(m.getName(), new Volume(m.getDestination().getPath()), !Boolean.TRUE.equals(m.getRW())));
                }
            }
        }
        return HostConfig.newHostConfig()
                .withBinds(binds)
                .withPortBindings(h.getPortBindings())
                .withRestartPolicy(h.getRestartPolicy())
                .withNetworkMode(Endpoints.networkMode(from).isEmpty() ? null : Endpoints.networkMode(from))
                .withExtraHosts(h.getExtraHosts())
                .withDns(h.getDns())
                .withCapAdd(h.getCapAdd())
                .withCapDrop(h.getCapDrop())
                .withTmpFs(h.getTmpFs())
                .withPublishAllPorts(h.getPublishAllPorts())
                .withLogConfig(h.getLogConfig())
                .withPrivileged(h.getPrivileged())
                .withReadonlyRootfs(h.getReadonlyRootfs())
                .withMemory(h.getMemory())
                .withNanoCPUs(h.getNanoCPUs())
                .withShmSize(h.getShmSize())
                .withSecurityOpts(h.getSecurityOpts())
                .withDevices(devices(h.getDevices()))
                .withInit(h.getInit())
                .withMounts(h.getMounts());
    }

    private static boolean differs(String container, String image) {
        return container != null && !container.isEmpty() && !container.equals(Objects.requireNonNullElse(image, ""));
    }

    private static List<String> list(String[] a) {
        return a == null ? List.of() : Arrays.asList(a);
    }

    /** Devices as given back; podman reports no cgroup permissions, which it then refuses on create: Docker's default is rwm. */
    static com.github.dockerjava.api.model.Device[] devices(com.github.dockerjava.api.model.Device[] devices) {
        if (devices == null) {
            return null;
        }
        return java.util.Arrays.stream(devices).map(d -> d.getcGroupPermissions() == null || d.getcGroupPermissions().isBlank()
                ? new com.github.dockerjava.api.model.Device("rwm", d.getPathInContainer(), d.getPathOnHost()) : d)
                .toArray(com.github.dockerjava.api.model.Device[]::new);
    }
}
