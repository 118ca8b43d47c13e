package dev.rollbackbot.docker;

import com.github.dockerjava.api.DockerClient;
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
import java.util.Set;

/**
 * Copies a container's own settings onto a create command for another image. What the old image supplied
 * (its environment, command, labels, working directory) is left out, so the new image's defaults apply.
 */
final class ContainerSettings {
    private static final Set<String> DEFAULT_NETWORK_MODES = Set.of("", "default", "bridge", "podman");

    private ContainerSettings() {
    }

    static CreateContainerCmd copy(DockerClient client, InspectContainerResponse from, InspectImageResponse oldImage,
            String name, String image) {
        ContainerConfig c = from.getConfig();
        ContainerConfig img = oldImage == null || oldImage.getConfig() == null ? new ContainerConfig() : oldImage.getConfig();
        CreateContainerCmd cmd = client.createContainerCmd(image).withName(name);

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
        if (host != null && !host.isEmpty() && !from.getId().startsWith(host)) {
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
        cmd.withHostConfig(hostConfig(from));
        List<String> aliases = aliases(from, networkMode(from));
        if (!aliases.isEmpty()) {
            cmd.withAliases(aliases);
        }
        return cmd;
    }

    /** The container's own aliases on a network, without the ones the engine made from the old container's id. */
    static List<String> aliases(InspectContainerResponse from, String network) {
        if (from.getNetworkSettings() == null || from.getNetworkSettings().getNetworks() == null) {
            return List.of();
        }
        var n = from.getNetworkSettings().getNetworks().get(network);
        if (n == null || n.getAliases() == null) {
            return List.of();
        }
        String shortId = from.getId().length() > 12 ? from.getId().substring(0, 12) : from.getId();
        String host = from.getConfig() == null ? null : from.getConfig().getHostName();
        return n.getAliases().stream().filter(a -> !a.equals(shortId) && !a.equals(from.getId()) && !a.equals(host)).toList();
    }

    /** Networks besides the one the container is created on, to connect after creation. */
    static List<String> extraNetworks(InspectContainerResponse from) {
        String mode = networkMode(from);
        return networks(from).stream().filter(n -> !n.equals(mode) && !DEFAULT_NETWORK_MODES.contains(n)).toList();
    }

    /**
     * The network the container is created on. Podman reports "bridge" for a container that is only on a
     * user-defined network; then that network is the one to create it on.
     */
    static String networkMode(InspectContainerResponse from) {
        String mode = Objects.requireNonNullElse(from.getHostConfig().getNetworkMode(), "");
        List<String> nets = networks(from);
        if (DEFAULT_NETWORK_MODES.contains(mode) && !nets.isEmpty() && nets.stream().noneMatch(DEFAULT_NETWORK_MODES::contains)) {
            return nets.get(0);
        }
        return mode;
    }

    private static List<String> networks(InspectContainerResponse from) {
        if (from.getNetworkSettings() == null || from.getNetworkSettings().getNetworks() == null) {
            return List.of();
        }
        return from.getNetworkSettings().getNetworks().keySet().stream().sorted().toList();
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
                .withNetworkMode(networkMode(from).isEmpty() ? null : networkMode(from))
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
                .withDevices(h.getDevices())
                .withInit(h.getInit())
                .withMounts(h.getMounts());
    }

    private static boolean differs(String container, String image) {
        return container != null && !container.isEmpty() && !container.equals(Objects.requireNonNullElse(image, ""));
    }

    private static List<String> list(String[] a) {
        return a == null ? List.of() : Arrays.asList(a);
    }
}
