package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Ulimit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a replacement gets from the old container's inspect answer, and what it is told it will not get. */
class ContainerSettingsTest {

    @Test
    void aPlainPodmanContainerHasNothingUncopied() {
        assertThat(Inspected.podmanDefaults().copy(false).uncopied()).isEmpty();
        assertThat(Inspected.podmanDefaults().copy(true).uncopied()).isEmpty();
    }

    @Test
    void limitsAndNamespacesAreGivenToTheReplacementAsReported() {
        var r = Inspected.podmanDefaults()
                .host("Ulimits", """
                        [{"Name": "RLIMIT_NOFILE", "Hard": 2048, "Soft": 1024}, {"Name": "RLIMIT_MEMLOCK", "Hard": -1, "Soft": -1}]""")
                .host("PidsLimit", "77").host("CpuShares", "512").host("CpusetCpus", "\"0-1\"").host("CpusetMems", "\"0\"")
                .host("Sysctls", "{\"net.ipv4.ip_unprivileged_port_start\": \"80\"}")
                .host("IpcMode", "\"container:4c533a04ffda\"").host("PidMode", "\"host\"")
                .host("DnsSearch", "[\"example.org\"]").host("DnsOptions", "[\"ndots:2\"]").host("GroupAdd", "[\"1234\"]")
                .host("OomScoreAdj", "100").host("Memory", "67108864").host("MemoryReservation", "33554432")
                .host("MemorySwap", "134217728").host("MemorySwappiness", "10")
                .host("CpuPeriod", "100000").host("CpuQuota", "50000")
                .host("CgroupParent", "\"/ops\"").host("UTSMode", "\"host\"").host("OomKillDisable", "true")
                .config("OpenStdin", "true").config("StopTimeout", "33")
                .copy(false);

        JsonNode h = Inspected.body(r.cmd()).get("HostConfig");
        assertThat(r.cmd().getHostConfig().getUlimits())
                .containsExactly(new Ulimit("nofile", 1024L, 2048L), new Ulimit("memlock", -1L, -1L));
        assertThat(h.get("PidsLimit").asLong()).isEqualTo(77);
        assertThat(h.get("CpuShares").asInt()).isEqualTo(512);
        assertThat(h.get("CpusetCpus").asText()).isEqualTo("0-1");
        assertThat(h.get("CpusetMems").asText()).isEqualTo("0");
        assertThat(r.cmd().getHostConfig().getSysctls()).isEqualTo(Map.of("net.ipv4.ip_unprivileged_port_start", "80"));
        assertThat(h.get("IpcMode").asText()).isEqualTo("container:4c533a04ffda");
        assertThat(h.get("PidMode").asText()).isEqualTo("host");
        assertThat(r.cmd().getHostConfig().getDnsSearch()).containsExactly("example.org");
        assertThat(r.cmd().getHostConfig().getDnsOptions()).containsExactly("ndots:2");
        assertThat(r.cmd().getHostConfig().getGroupAdd()).containsExactly("1234");
        assertThat(h.get("OomScoreAdj").asInt()).isEqualTo(100);
        assertThat(h.get("MemoryReservation").asLong()).isEqualTo(33554432);
        assertThat(h.get("MemorySwap").asLong()).isEqualTo(134217728);
        assertThat(h.get("MemorySwappiness").asLong()).isEqualTo(10);
        assertThat(h.get("CpuPeriod").asLong()).isEqualTo(100000);
        assertThat(h.get("CpuQuota").asLong()).isEqualTo(50000);
        assertThat(r.cmd().isStdinOpen()).isTrue();
        assertThat(r.cmd().getStopTimeout()).isEqualTo(33);
        assertThat(h.get("CgroupParent").asText()).isEqualTo("/ops");
        assertThat(h.get("UTSMode").asText()).isEqualTo("host");
        assertThat(h.get("OomKillDisable").asBoolean()).isTrue();
        assertThat(r.uncopied()).isEmpty();
    }

    @Test
    void aContainerInTheHostsUtsNamespaceKeepsItButIsNotGivenTheHostsName() {
        var r = Inspected.podmanDefaults().host("UTSMode", "\"host\"").config("Hostname", "\"vm\"").copy(false);

        assertThat(r.cmd().getHostConfig().getUtSMode()).isEqualTo("host");
        assertThat(r.cmd().getHostName()).as("podman: cannot set hostname when running in the host UTS namespace").isNull();
        assertThat(Inspected.podmanDefaults().config("Hostname", "\"web-1\"").copy(false).cmd().getHostName()).isEqualTo("web-1");
    }

    @Test
    void theCpuPeriodAndQuotaPodmanDerivedFromNanoCpusAreNotSentWithThem() {
        var r = Inspected.podmanDefaults().host("NanoCpus", "500000000").host("CpuPeriod", "100000").host("CpuQuota", "50000")
                .copy(false);

        JsonNode h = Inspected.body(r.cmd()).get("HostConfig");
        assertThat(h.get("NanoCpus").asLong()).isEqualTo(500_000_000L);
        assertThat(h.path("CpuPeriod").isMissingNode() || h.get("CpuPeriod").isNull()).isTrue();
        assertThat(h.path("CpuQuota").isMissingNode() || h.get("CpuQuota").isNull()).isTrue();
    }

    @Test
    void theStopSignalIsCopiedOnlyWhenTheContainerChoseItsOwn() {
        assertThat(Inspected.podmanDefaults().copy(false).cmd().getStopSignal()).as("the image's own SIGKILL").isNull();
        assertThat(Inspected.podmanDefaults().config("StopSignal", "\"10\"").copy(false).cmd().getStopSignal()).isEqualTo("10");
        assertThat(Inspected.podmanDefaults().config("StopSignal", "\"SIGKILL\"").copy(false).cmd().getStopSignal())
                .as("Docker's spelling of the image's 9").isNull();
        assertThat(Inspected.podmanDefaults().config("StopSignal", "\"15\"").imageConfig("StopSignal", "\"\"").copy(false)
                .cmd().getStopSignal()).as("the engine's default when the image names none").isNull();
        assertThat(Inspected.podmanDefaults().config("StopSignal", "\"SIGQUIT\"").imageConfig("StopSignal", "null").copy(false)
                .cmd().getStopSignal()).isEqualTo("SIGQUIT");
    }

    @Test
    void fixedAddressesTheEngineReportsAreGivenOnEveryNetwork() {
        Inspected docker = Inspected.podmanDefaults().host("NetworkMode", "\"front\"")
                .network("front", """
                        {"IPAMConfig": {"IPv4Address": "172.20.0.50", "IPv6Address": "fd00::50"}, "Aliases": ["web"],
                         "IPAddress": "172.20.0.50", "GlobalIPv6Address": "fd00::50"}""", true)
                .network("back", """
                        {"IPAMConfig": {"IPv4Address": "172.21.0.9"}, "Aliases": ["web-db", "88ccc1dd7d4b"],
                         "IPAddress": "172.21.0.9"}""", false);

        var r = docker.copy(true);

        assertThat(r.cmd().getIpv4Address()).isEqualTo("172.20.0.50");
        assertThat(r.cmd().getIpv6Address()).isEqualTo("fd00::50");
        assertThat(r.cmd().getHostConfig().getNetworkMode()).isEqualTo("front");
        assertThat(r.cmd().getAliases()).containsExactly("web");
        ContainerNetwork back = Endpoints.endpoint(docker.container(), "back");
        assertThat(back.getIpamConfig().getIpv4Address()).isEqualTo("172.21.0.9");
        assertThat(back.getAliases()).containsExactly("web-db");
        assertThat(Endpoints.extraNetworks(docker.container())).containsExactly("back");
        assertThat(r.uncopied()).isEmpty();
    }

    @Test
    void onPodmanAnAddressOnAUserNetworkIsNamedBecauseItMayHaveBeenFixed() {
        Inspected podman = Inspected.podmanDefaults().network("rbt-net", """
                {"IPAMConfig": null, "Aliases": ["88ccc1dd7d4b"], "IPAddress": "10.89.77.50", "GlobalIPv6Address": ""}""", true);

        assertThat(podman.copy(false).uncopied()).containsExactly("address 10.89.77.50 on network rbt-net: podman does not"
                + " report whether it was fixed (--ip), so it is not copied; the replacement gets an address from the"
                + " network's pool, maybe another one");
        assertThat(podman.copy(false).cmd().getIpv4Address()).isNull();
        assertThat(podman.copy(true).uncopied()).as("Docker reports fixed addresses, so this one was given out").isEmpty();
    }

    @Test
    void everySetSettingTheReplacementCannotGetIsNamedWithItsValueAndWhy() {
        var r = Inspected.podmanDefaults()
                .host("AutoRemove", "true").host("BlkioWeight", "300")
                .host("BlkioDeviceReadBps", "[{\"Path\": \"/dev/sda\", \"Rate\": 1048576}]")
                .host("Runtime", "\"crun\"").host("Links", "[\"/db:/web/db\"]").host("VolumesFrom", "[\"data:ro\"]")
                .host("KernelMemoryTCP", "1048576")
                .host("Ulimits", "[{\"Name\": \"RLIMIT_NOFILE\", \"Hard\": 10, \"Soft\": 10}, {\"Name\": \"RLIMIT_FOO\", \"Hard\": 2, \"Soft\": 1}]")
                .config("Domainname", "\"example.org\"")
                .network("rbt-net", """
                        {"IPAMConfig": {"IPv4Address": "10.89.0.5", "LinkLocalIPs": ["169.254.1.1"]}, "IPAddress": "10.89.0.5",
                         "DriverOpts": {"mtu": "1400"}}""", true)
                .copy(true);

        String not = ": " + SettingRows.NOT_CARRIED;
        assertThat(r.uncopied()).containsExactlyInAnyOrder(
                "ulimit RLIMIT_FOO=1:2: not a limit name the engine takes in a create request, so it cannot be given again",
                "auto-remove (--rm): the replacement is kept when it stops, so it can be looked at; note that the old"
                        + " container also removes itself when it is stopped, so it cannot be put back if the replacement fails",
                "block IO weight 300" + not,
                "block IO read rate limits /dev/sda=1048576 B/s" + not,
                "runtime crun" + not,
                "links db:db" + not,
                "volumes from data:ro" + not,
                "kernel TCP memory limit 1048576 B: " + SettingRows.CLIENT_CANNOT,
                "domain name example.org" + not,
                "link-local addresses [169.254.1.1] on network rbt-net: " + SettingRows.CLIENT_CANNOT,
                "driver options {mtu=1400} on network rbt-net: " + SettingRows.CLIENT_CANNOT);
        assertThat(r.uncopied()).allSatisfy(line -> assertThat(line).doesNotContain("`", "*", "<", ">"));
    }

    @Test
    void whatIsNamedUncopiedIsNotInTheCreateRequest() {
        var r = Inspected.podmanDefaults().host("AutoRemove", "true").host("BlkioWeight", "300")
                .host("Runtime", "\"crun\"").host("KernelMemoryTCP", "1048576").host("Links", "[\"/db:/web/db\"]")
                .host("VolumesFrom", "[\"data:ro\"]").config("Domainname", "\"example.org\"").copy(false);

        JsonNode body = Inspected.body(r.cmd());
        JsonNode h = body.get("HostConfig");
        for (String field : List.of("AutoRemove", "BlkioWeight", "Runtime", "KernelMemoryTCP", "Links", "VolumesFrom")) {
            assertThat(h.path(field).isMissingNode() || h.get(field).isNull()).as(field).isTrue();
        }
        assertThat(body.path("Domainname").isMissingNode() || body.get("Domainname").isNull()).isTrue();
        assertThat(r.uncopied()).hasSize(7);
    }
}
