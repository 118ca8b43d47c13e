package dev.rollbackbot.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Settings taken one by one: each row reads the old container and either gives the value to the replacement or,
 * when the value is set but cannot be given, adds a line saying so. Copying and the uncopied list both run these
 * rows (see {@link ContainerSettings#copy}), so they cannot disagree.
 *
 * <p>"Set" leaves out what the engines report for a container that never asked for anything (podman reports
 * {@code Runtime: oci}, {@code UTSMode: private}, {@code MemorySwappiness: 0}; Docker {@code Runtime: runc}), so
 * the card does not warn about defaults. {@code CgroupnsMode} is neither copied nor reported: Docker reports its
 * daemon default ({@code private} or {@code host}) for every container, so a chosen mode cannot be told from it.
 */
final class SettingRows {
    static final String NOT_CARRIED = "rollback-bot does not carry this setting over to a replacement";
    static final String CLIENT_CANNOT = "the engine API client (docker-java 3.7.1) cannot set it";

    /** The old container and the image it was made from (null when that is gone). */
    record Source(InspectContainerResponse container, InspectImageResponse oldImage) {
        HostConfig host() {
            return container.getHostConfig();
        }

        ContainerConfig config() {
            return container.getConfig() == null ? new ContainerConfig() : container.getConfig();
        }
    }

    /** What the rows fill in. */
    record Target(CreateContainerCmd cmd, HostConfig host, List<String> uncopied) {
    }

    @FunctionalInterface
    private interface Row {
        void apply(Source from, Target to);
    }

    private static final List<Row> ROWS = List.of(
            (from, to) -> {
                Ulimits.Translated u = Ulimits.translate(from.host().getUlimits());
                if (!u.ulimits().isEmpty()) {
                    to.host().withUlimits(u.ulimits());
                }
                to.uncopied().addAll(u.uncopied());
            },
            copy(s -> s.host().getPidsLimit(), Objects::nonNull, (t, v) -> t.host().withPidsLimit(v)),
            copy(s -> s.host().getCpuShares(), SettingRows::positive, (t, v) -> t.host().withCpuShares(v)),
            copy(s -> s.host().getCpusetCpus(), SettingRows::text, (t, v) -> t.host().withCpusetCpus(v)),
            copy(s -> s.host().getCpusetMems(), SettingRows::text, (t, v) -> t.host().withCpusetMems(v)),
            copy(s -> s.host().getSysctls(), Raw::present, (t, v) -> t.host().withSysctls(v)),
            // container:<id> modes name another container that is still there: kept as they are
            copy(s -> s.host().getIpcMode(), SettingRows::text, (t, v) -> t.host().withIpcMode(v)),
            copy(s -> s.host().getPidMode(), SettingRows::text, (t, v) -> t.host().withPidMode(v)),
            copy(s -> StopSignals.toCopy(Raw.string(s.container(), "Config", "StopSignal"),
                    Raw.string(s.oldImage(), "Config", "StopSignal")),
                    Objects::nonNull, (t, v) -> t.cmd().withStopSignal(v)),
            copy(s -> Raw.integer(s.container(), "Config", "StopTimeout"), Objects::nonNull, (t, v) -> t.cmd().withStopTimeout(v)),
            copy(s -> s.host().getDnsSearch(), SettingRows::some, (t, v) -> t.host().withDnsSearch(v)),
            copy(s -> s.host().getDnsOptions(), Raw::present, (t, v) -> t.host().withDnsOptions(v)),
            copy(s -> s.host().getGroupAdd(), Raw::present, (t, v) -> t.host().withGroupAdd(v)),
            copy(s -> s.host().getOomScoreAdj(), v -> v != null && v != 0, (t, v) -> t.host().withOomScoreAdj(v)),
            copy(s -> s.host().getMemoryReservation(), SettingRows::positive, (t, v) -> t.host().withMemoryReservation(v)),
            copy(s -> s.host().getMemorySwap(), v -> v != null && v != 0, (t, v) -> t.host().withMemorySwap(v)),
            // 0 is podman's report for "not set", so only a positive swappiness is known to be chosen
            copy(s -> s.host().getMemorySwappiness(), SettingRows::positive, (t, v) -> t.host().withMemorySwappiness(v)),
            // podman also reports the period and quota it derived from --cpus; the engine refuses both together
            copy(s -> positive(s.host().getNanoCPUs()) ? null : s.host().getCpuPeriod(), SettingRows::positive,
                    (t, v) -> t.host().withCpuPeriod(v)),
            copy(s -> positive(s.host().getNanoCPUs()) ? null : s.host().getCpuQuota(), SettingRows::positive,
                    (t, v) -> t.host().withCpuQuota(v)),
            copy(s -> s.config().getStdinOpen(), Boolean.TRUE::equals, (t, v) -> t.cmd().withStdinOpen(v)),
            copy(s -> s.host().getCgroupParent(), SettingRows::text, (t, v) -> t.host().withCgroupParent(v)),
            // podman reports "private" for its default, which Docker would not take
            copy(s -> s.host().getUtSMode(), "host"::equals, (t, v) -> t.host().withUtSMode(v)),
            copy(s -> s.host().getOomKillDisable(), Boolean.TRUE::equals, (t, v) -> t.host().withOomKillDisable(v)),

            report("auto-remove (--rm)", s -> s.host().getAutoRemove(), Boolean.TRUE::equals, v -> "",
                    "the replacement is kept when it stops, so it can be looked at; note that the old container also removes"
                            + " itself when it is stopped, so it cannot be put back if the replacement fails"),
            report("block IO weight", s -> s.host().getBlkioWeight(), SettingRows::positive, String::valueOf, NOT_CARRIED),
            report("block IO device weights", s -> s.host().getBlkioWeightDevice(), Raw::present,
                    v -> join(v, d -> d.getPath() + "=" + d.getWeight()), NOT_CARRIED),
            report("block IO read rate limits", s -> s.host().getBlkioDeviceReadBps(), Raw::present,
                    v -> join(v, d -> d.getPath() + "=" + d.getRate() + " B/s"), NOT_CARRIED),
            report("block IO write rate limits", s -> s.host().getBlkioDeviceWriteBps(), Raw::present,
                    v -> join(v, d -> d.getPath() + "=" + d.getRate() + " B/s"), NOT_CARRIED),
            report("block IO read operation limits", s -> s.host().getBlkioDeviceReadIOps(), Raw::present,
                    v -> join(v, d -> d.getPath() + "=" + d.getRate() + "/s"), NOT_CARRIED),
            report("block IO write operation limits", s -> s.host().getBlkioDeviceWriteIOps(), Raw::present,
                    v -> join(v, d -> d.getPath() + "=" + d.getRate() + "/s"), NOT_CARRIED),
            report("cgroup", s -> s.host().getCgroup(), SettingRows::text, v -> v, NOT_CARRIED),
            report("user namespace mode", s -> s.host().getUsernsMode(), SettingRows::text, v -> v, NOT_CARRIED),
            report("runtime", s -> s.host().getRuntime(), v -> text(v) && !Set.of("oci", "runc").contains(v), v -> v,
                    NOT_CARRIED),
            report("links", s -> s.host().getLinks(), v -> v != null && v.length > 0,
                    v -> Arrays.stream(v).map(l -> l.getName() + ":" + l.getAlias()).collect(Collectors.joining(", ")),
                    NOT_CARRIED),
            report("volumes from", s -> s.host().getVolumesFrom(), v -> v != null && v.length > 0,
                    v -> Arrays.stream(v).map(Object::toString).collect(Collectors.joining(", ")), NOT_CARRIED),
            report("device requests (e.g. GPUs)", s -> s.host().getDeviceRequests(), Raw::present,
                    v -> join(v, d -> Objects.requireNonNullElse(d.getDriver(), "any driver") + " x" + d.getCount()),
                    NOT_CARRIED),
            report("device cgroup rules", s -> s.host().getDeviceCgroupRules(), Raw::present, v -> String.join(", ", v),
                    NOT_CARRIED),
            report("storage options", s -> s.host().getStorageOpt(), Raw::present, SettingRows::pairs, NOT_CARRIED),
            report("annotations", s -> s.host().getAnnotations(), Raw::present, SettingRows::pairs, NOT_CARRIED),
            report("kernel memory limit", s -> s.host().getKernelMemory(), SettingRows::positive, v -> v + " B", NOT_CARRIED),
            report("kernel TCP memory limit", s -> Raw.number(s.container(), "HostConfig", "KernelMemoryTCP"), SettingRows::positive,
                    v -> v + " B", CLIENT_CANNOT),
            report("realtime CPU period", s -> s.host().getCpuRealtimePeriod(), SettingRows::positive, v -> v + " us",
                    NOT_CARRIED),
            report("realtime CPU runtime", s -> s.host().getCpuRealtimeRuntime(), SettingRows::positive, v -> v + " us",
                    NOT_CARRIED),
            report("volume driver", s -> s.host().getVolumeDriver(), SettingRows::text, v -> v, NOT_CARRIED),
            report("domain name", s -> s.config().getDomainName(), SettingRows::text, v -> v, NOT_CARRIED),
            report("MAC address", s -> s.config().getMacAddress(), SettingRows::text, v -> v, NOT_CARRIED));

    private SettingRows() {
    }

    /** Gives {@code to} every row's setting, or adds the row's line to {@code to.uncopied()}. */
    static void apply(Source from, Target to) {
        ROWS.forEach(r -> r.apply(from, to));
    }

    private static <T> Row copy(Function<Source, T> read, Predicate<T> isSet, BiConsumer<Target, T> write) {
        return (from, to) -> {
            T v = read.apply(from);
            if (isSet.test(v)) {
                write.accept(to, v);
            }
        };
    }

    private static <T> Row report(String label, Function<Source, T> read, Predicate<T> isSet, Function<T, String> show,
            String why) {
        return (from, to) -> {
            T v = read.apply(from);
            if (isSet.test(v)) {
                String value = show.apply(v);
                to.uncopied().add(label + (value.isEmpty() ? "" : " " + value) + ": " + why);
            }
        };
    }

    private static boolean positive(Number n) {
        return n != null && n.longValue() > 0;
    }

    private static boolean text(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean some(String[] a) {
        return a != null && a.length > 0;
    }

    private static <T> String join(Collection<T> items, Function<T, String> show) {
        return items.stream().map(show).collect(Collectors.joining(", "));
    }

    private static String pairs(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
