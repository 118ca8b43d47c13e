package dev.rollbackbot.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A container's networks as a replacement needs them: the one it is created on, the others it joins after, its own
 * aliases and its fixed ("static") addresses.
 *
 * <p>Fixed addresses ({@code IPAMConfig}) are copied as they are. The old container still holds them when the
 * replacement is created, and that is fine: engines hand addresses out when a container starts, not when it is
 * created. Checked with podman 4.3: creating a second container with a held address succeeds, starting it while the
 * holder runs fails ("IPAM error: requested ip address ... is already allocated to container ID ..."), and a stopped
 * container holds nothing. {@link ContainerSwap} stops the old container before it starts the replacement, and
 * removes the replacement before it restarts the old one, so the address moves with the service either way.
 *
 * <p>Podman 4.3 reports {@code IPAMConfig: null} even for a fixed address, so on podman a fixed address cannot be told
 * from one the network gave out; such addresses on user-defined networks are named in the uncopied list.
 */
final class Endpoints {
    static final Set<String> DEFAULT_NETWORK_MODES = Set.of("", "default", "bridge", "podman");

    private Endpoints() {
    }

    /**
     * Gives the network the replacement is created on its fixed addresses, and lists what cannot be given on any
     * network. {@code fixedAddressesReported} is false for an engine that does not report them (podman).
     */
    static void apply(InspectContainerResponse from, CreateContainerCmd cmd, boolean fixedAddressesReported,
            List<String> uncopied) {
        ContainerNetwork.Ipam primary = ipam(from, networkMode(from));
        if (primary != null && primary.getIpv4Address() != null) {
            cmd.withIpv4Address(primary.getIpv4Address());
        }
        if (primary != null && primary.getIpv6Address() != null) {
            cmd.withIpv6Address(primary.getIpv6Address());
        }
        new java.util.TreeMap<>(networks(from)).forEach((name, n) -> {
            ContainerNetwork.Ipam ipam = n.getIpamConfig();
            Object linkLocal = Raw.at(from, "NetworkSettings", "Networks", name, "IPAMConfig", "LinkLocalIPs");
            if (Raw.present(linkLocal)) {
                uncopied.add("link-local addresses " + linkLocal + " on network " + name + ": " + SettingRows.CLIENT_CANNOT);
            }
            Object driverOpts = Raw.at(from, "NetworkSettings", "Networks", name, "DriverOpts");
            if (Raw.present(driverOpts)) {
                uncopied.add("driver options " + driverOpts + " on network " + name + ": " + SettingRows.CLIENT_CANNOT);
            }
            if (!fixedAddressesReported && !isDefault(name) && fixed(ipam).isEmpty() && !current(n).isEmpty()) {
                uncopied.add("address " + String.join(" and ", current(n)) + " on network " + name + ": podman does not"
                        + " report whether it was fixed (--ip), so it is not copied; the replacement gets an address from"
                        + " the network's pool, maybe another one");
            }
        });
    }

    /** How to join an extra network after creation: the container's own aliases and fixed addresses there. */
    static ContainerNetwork endpoint(InspectContainerResponse from, String network) {
        ContainerNetwork e = new ContainerNetwork().withAliases(aliases(from, network));
        ContainerNetwork.Ipam ipam = ipam(from, network);
        return ipam == null ? e : e.withIpamConfig(ipam);
    }

    /** The container's own aliases on a network, without the ones the engine made from the old container's id. */
    static List<String> aliases(InspectContainerResponse from, String network) {
        ContainerNetwork n = networks(from).get(network);
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
        return networks(from).keySet().stream().sorted().filter(n -> !n.equals(mode) && !isDefault(n)).toList();
    }

    /**
     * The network the container is created on. Podman reports "bridge" for a container that is only on a
     * user-defined network; then that network is the one to create it on.
     */
    static String networkMode(InspectContainerResponse from) {
        String mode = Objects.requireNonNullElse(from.getHostConfig().getNetworkMode(), "");
        List<String> nets = networks(from).keySet().stream().sorted().toList();
        if (isDefault(mode) && !nets.isEmpty() && nets.stream().noneMatch(Endpoints::isDefault)) {
            return nets.get(0);
        }
        return mode;
    }

    private static boolean isDefault(String network) {
        return DEFAULT_NETWORK_MODES.contains(network);
    }

    /** The fixed addresses on a network, or null when there are none. */
    private static ContainerNetwork.Ipam ipam(InspectContainerResponse from, String network) {
        ContainerNetwork n = networks(from).get(network);
        if (n == null || fixed(n.getIpamConfig()).isEmpty()) {
            return null;
        }
        return new ContainerNetwork.Ipam().withIpv4Address(blankToNull(n.getIpamConfig().getIpv4Address()))
                .withIpv6Address(blankToNull(n.getIpamConfig().getIpv6Address()));
    }

    private static List<String> fixed(ContainerNetwork.Ipam ipam) {
        List<String> out = new ArrayList<>();
        if (ipam != null) {
            addIfSet(out, ipam.getIpv4Address());
            addIfSet(out, ipam.getIpv6Address());
        }
        return out;
    }

    private static List<String> current(ContainerNetwork n) {
        List<String> out = new ArrayList<>();
        addIfSet(out, n.getIpAddress());
        addIfSet(out, n.getGlobalIPv6Address());
        return out;
    }

    private static void addIfSet(List<String> out, String s) {
        if (s != null && !s.isBlank()) {
            out.add(s);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, ContainerNetwork> networks(InspectContainerResponse from) {
        if (from.getNetworkSettings() == null || from.getNetworkSettings().getNetworks() == null) {
            return Map.of();
        }
        return from.getNetworkSettings().getNetworks();
    }
}
