package dev.rollbackbot.e2e;

import static dev.rollbackbot.testing.TestEngine.TOOLS;
import static dev.rollbackbot.testing.TestEngine.WEB_V1;
import static dev.rollbackbot.testing.TestEngine.WEB_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ulimit;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.docker.EngineException;
import dev.rollbackbot.testing.TestEngine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link DockerJavaEngine#createLike} against a real engine (podman): settings copied, image pinned, nothing hidden. */
class ContainerSettingsIT {
    private static final String PREFIX = "rbt-settings-";
    private static final String FRONT = PREFIX + "front";
    private static final String BACK = PREFIX + "back";
    private static final String APPROVED_TAG = "localhost/rbt-settings-app:approved";

    private static TestEngine engine;
    private static DockerJavaEngine docker;

    @BeforeAll
    static void start() {
        engine = TestEngine.require();
        docker = DockerJavaEngine.connect(engine.host());
        engine.removeAll(PREFIX);
        network(FRONT, "10.231.17.0/24");
        network(BACK, "10.231.18.0/24");
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            // these join the peer's namespaces: the engine removes the peer only after them
            engine.removeAll(PREFIX + "joined");
        }
        TestEngine.cleanUp(engine, PREFIX, docker);
        if (engine != null) {
            for (String n : List.of(FRONT, BACK)) {
                removeNetwork(n);
            }
            untag(APPROVED_TAG);
        }
    }

    @Test
    void theReplacementGetsTheOldContainersLimitsResourcesStopSettingsAndNetworks() {
        String old = PREFIX + "all";
        String id = engine.client().createContainerCmd(WEB_V2).withName(old)
                .withStopSignal("SIGUSR1").withStopTimeout(33).withStdinOpen(true)
                .withIpv4Address("10.231.17.50").withAliases("web-front")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(FRONT)
                        .withUlimits(List.of(new Ulimit("nofile", 1024L, 2048L), new Ulimit("nproc", 500L, 600L),
                                new Ulimit("memlock", 65_536L, 131_072L), new Ulimit("core", 0L, -1L), new Ulimit("cpu", 3600L, -1L),
                                new Ulimit("msgqueue", 1000L, 2000L), new Ulimit("sigpending", 100L, 200L),
                                new Ulimit("stack", 8_388_608L, -1L)))
                        .withPidsLimit(77L).withCpuShares(512).withCpusetCpus("0").withCpusetMems("0")
                        .withSysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "80"))
                        .withIpcMode("private").withPidMode("private").withUtSMode("host")
                        .withDnsSearch("example.org").withDnsOptions(List.of("ndots:2")).withGroupAdd(List.of("1234"))
                        .withOomScoreAdj(100).withOomKillDisable(true).withCgroupParent("/rbt-settings")
                        .withMemory(64L << 20).withMemoryReservation(32L << 20).withMemorySwap(128L << 20)
                        .withMemorySwappiness(10L).withCpuPeriod(100_000L).withCpuQuota(50_000L))
                .exec().getId();
        engine.client().connectToNetworkCmd().withNetworkId(BACK).withContainerId(id).withContainerNetwork(
                new ContainerNetwork().withAliases("web-back").withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address("10.231.18.50")))
                .exec();
        engine.client().startContainerCmd(id).exec();
        InspectContainerResponse before = engine.inspect(old);

        String next = docker.createLike(old, PREFIX + "all-next", WEB_V1, imageId(WEB_V1));
        InspectContainerResponse after = engine.inspect(next);

        HostConfig a = after.getHostConfig();
        HostConfig b = before.getHostConfig();
        assertThat(ulimits(a)).isEqualTo(ulimits(b)).contains("RLIMIT_NOFILE=1024:2048", "RLIMIT_MEMLOCK=65536:131072",
                "RLIMIT_STACK=8388608:-1", "RLIMIT_CORE=0:-1", "RLIMIT_CPU=3600:-1");
        assertThat(a.getPidsLimit()).isEqualTo(b.getPidsLimit()).isEqualTo(77L);
        assertThat(a.getCpuShares()).isEqualTo(b.getCpuShares()).isEqualTo(512);
        assertThat(a.getCpusetCpus()).isEqualTo(b.getCpusetCpus()).isEqualTo("0");
        assertThat(a.getCpusetMems()).isEqualTo(b.getCpusetMems()).isEqualTo("0");
        assertThat(a.getIpcMode()).isEqualTo(b.getIpcMode());
        assertThat(a.getPidMode()).isEqualTo(b.getPidMode());
        assertThat(a.getUtSMode()).isEqualTo(b.getUtSMode()).isEqualTo("host");
        assertThat(a.getDnsSearch()).isEqualTo(b.getDnsSearch()).containsExactly("example.org");
        assertThat(a.getDnsOptions()).isEqualTo(b.getDnsOptions()).containsExactly("ndots:2");
        assertThat(a.getGroupAdd()).isEqualTo(b.getGroupAdd()).containsExactly("1234");
        assertThat(a.getOomScoreAdj()).isEqualTo(b.getOomScoreAdj()).isEqualTo(100);
        assertThat(a.getOomKillDisable()).isEqualTo(b.getOomKillDisable()).isTrue();
        assertThat(a.getCgroupParent()).isEqualTo(b.getCgroupParent()).isEqualTo("/rbt-settings");
        assertThat(a.getMemory()).isEqualTo(b.getMemory()).isEqualTo(64L << 20);
        assertThat(a.getMemoryReservation()).isEqualTo(b.getMemoryReservation()).isEqualTo(32L << 20);
        assertThat(a.getMemorySwap()).isEqualTo(b.getMemorySwap()).isEqualTo(128L << 20);
        assertThat(a.getMemorySwappiness()).isEqualTo(b.getMemorySwappiness()).isEqualTo(10L);
        assertThat(a.getCpuPeriod()).isEqualTo(b.getCpuPeriod()).isEqualTo(100_000L);
        assertThat(a.getCpuQuota()).isEqualTo(b.getCpuQuota()).isEqualTo(50_000L);
        assertThat(raw(after, "StopSignal")).isEqualTo(raw(before, "StopSignal")).isEqualTo("10");
        assertThat(raw(after, "StopTimeout")).isEqualTo(raw(before, "StopTimeout")).isEqualTo(33);
        assertThat(after.getConfig().getStdinOpen()).isTrue();
        assertThat(after.getNetworkSettings().getNetworks().keySet()).isEqualTo(before.getNetworkSettings().getNetworks().keySet())
                .containsExactlyInAnyOrder(FRONT, BACK);
        assertThat(after.getNetworkSettings().getNetworks().get(BACK).getAliases()).contains("web-back");
        if (b.getSysctls() == null || b.getSysctls().isEmpty()) {
            System.err.println("note: " + docker.describe() + " does not report sysctls (podman 4.3), so none can be copied");
        } else {
            assertThat(a.getSysctls()).isEqualTo(b.getSysctls());
        }
        assertThat(fixed(after)).isEqualTo(fixedAddressesReported(before) ? fixed(before) : Set.of());
        assertThat(docker.uncopiedSettings(old)).isEqualTo(fixedAddressesReported(before) ? List.of() : List.of(
                "address 10.231.18.50 on network " + BACK + ": podman does not report whether it was fixed (--ip), so it is"
                        + " not copied; the replacement gets an address from the network's pool, maybe another one",
                "address 10.231.17.50 on network " + FRONT + ": podman does not report whether it was fixed (--ip), so it is"
                        + " not copied; the replacement gets an address from the network's pool, maybe another one"));

        docker.stop(old, Duration.ofSeconds(1));
        docker.start(next);
        assertThat(engine.running(next)).as("the replacement starts with what it was given").isTrue();
    }

    @Test
    void namespacesJoinedFromAnotherContainerStayJoinedToThatContainer() {
        String peer = PREFIX + "peer";
        engine.runTools(peer);
        String peerId = engine.inspect(peer).getId();
        String old = PREFIX + "joined";
        String id = engine.client().createContainerCmd(WEB_V2).withName(old)
                .withHostConfig(HostConfig.newHostConfig().withIpcMode("container:" + peer).withPidMode("container:" + peer))
                .exec().getId();
        engine.client().startContainerCmd(id).exec();

        String next = docker.createLike(old, PREFIX + "joined-next", WEB_V1, imageId(WEB_V1));

        HostConfig a = engine.inspect(next).getHostConfig();
        assertThat(a.getIpcMode()).isEqualTo(engine.inspect(old).getHostConfig().getIpcMode()).isEqualTo("container:" + peerId);
        assertThat(a.getPidMode()).isEqualTo(engine.inspect(old).getHostConfig().getPidMode()).isEqualTo("container:" + peerId);
        docker.stop(old, Duration.ofSeconds(1));
        docker.start(next);
        assertThat(engine.running(next)).isTrue();
    }

    @Test
    void theReplacementRunsTheApprovedImageAndStillReportsTheApprovedTag() {
        String old = PREFIX + "pinned";
        engine.run(old, WEB_V2, TestEngine.freePort(), Map.of(), Map.of());
        tag(WEB_V1, APPROVED_TAG);
        String approved = docker.image(APPROVED_TAG).orElseThrow().id();

        docker.createLike(old, PREFIX + "pinned-next", APPROVED_TAG, approved);

        var made = docker.container(PREFIX + "pinned-next").orElseThrow();
        assertThat(made.image()).as("not " + WEB_V1 + ", the image's other name").isEqualTo(APPROVED_TAG);
        assertThat(made.imageId()).isEqualTo(approved).isEqualTo(imageId(WEB_V1));
    }

    @Test
    void aTagMovedToAnotherImageSinceApprovalIsRefusedAndNothingIsLeftBehind() {
        String old = PREFIX + "moved";
        engine.run(old, WEB_V2, TestEngine.freePort(), Map.of(), Map.of());
        tag(WEB_V1, APPROVED_TAG);
        String approved = docker.image(APPROVED_TAG).orElseThrow().id();
        tag(WEB_V2, APPROVED_TAG);

        assertThatThrownBy(() -> docker.createLike(old, PREFIX + "moved-next", APPROVED_TAG, approved))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("refused to create " + PREFIX + "moved-next: " + APPROVED_TAG + " moved to image "
                        + shortId(imageId(WEB_V2)) + " since approval (approved: " + shortId(approved) + "); nothing was changed.");

        assertThat(engine.namesStartingWith(PREFIX + "moved")).containsExactly(old);
        assertThat(engine.running(old)).isTrue();
        assertThat(engine.imageOf(old)).isEqualTo(WEB_V2);
    }

    @Test
    void settingsPodmanReportsButTheReplacementWillNotGetAreNamed() {
        String old = PREFIX + "uncopied";
        String id = engine.client().createContainerCmd(TOOLS).withName(old)
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true)).exec().getId();
        engine.client().startContainerCmd(id).exec();

        assertThat(docker.uncopiedSettings(old)).containsExactly("auto-remove (--rm): the replacement is kept when it stops,"
                + " so it can be looked at; note that the old container also removes itself when it is stopped, so it cannot"
                + " be put back if the replacement fails");
        String next = docker.createLike(old, PREFIX + "uncopied-next", TOOLS, imageId(TOOLS));
        assertThat(engine.inspect(next).getHostConfig().getAutoRemove()).isFalse();
    }

    private static String imageId(String ref) {
        return engine.client().inspectImageCmd(ref).exec().getId();
    }

    private static String shortId(String id) {
        return id.replaceFirst("^sha256:", "").substring(0, 12);
    }

    private static Set<String> ulimits(HostConfig h) {
        return Arrays.stream(h.getUlimits()).map(u -> u.getName() + "=" + u.getSoftLong() + ":" + u.getHardLong())
                .collect(Collectors.toSet());
    }

    /** A {@code Config} field docker-java has no getter for; it keeps the answer's JSON in the top object only. */
    private static Object raw(InspectContainerResponse c, String field) {
        return ((Map<?, ?>) c.getRawValues().get("Config")).get(field);
    }

    private static Set<String> fixed(InspectContainerResponse c) {
        return c.getNetworkSettings().getNetworks().entrySet().stream()
                .filter(e -> e.getValue().getIpamConfig() != null && e.getValue().getIpamConfig().getIpv4Address() != null)
                .map(e -> e.getKey() + "=" + e.getValue().getIpamConfig().getIpv4Address()).collect(Collectors.toSet());
    }

    private static boolean fixedAddressesReported(InspectContainerResponse c) {
        return !fixed(c).isEmpty();
    }

    private static void tag(String image, String reference) {
        int colon = reference.lastIndexOf(':');
        engine.client().tagImageCmd(image, reference.substring(0, colon), reference.substring(colon + 1)).withForce().exec();
    }

    /** Removes only this test's name for an image; the image keeps its own names. */
    private static void untag(String reference) {
        try {
            engine.client().removeImageCmd(reference).withNoPrune(true).exec();
        } catch (NotFoundException gone) {
            // never tagged
        }
    }

    private static void network(String name, String subnet) {
        removeNetwork(name);
        engine.client().createNetworkCmd().withName(name)
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet))).exec();
    }

    private static void removeNetwork(String name) {
        try {
            engine.client().removeNetworkCmd(name).exec();
        } catch (NotFoundException gone) {
            // not there
        }
    }
}
