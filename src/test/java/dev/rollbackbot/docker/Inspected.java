package dev.rollbackbot.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import java.io.UncheckedIOException;

/**
 * Inspect answers as an engine sends them, read by docker-java's own mapper, for tests of what is copied. Starts
 * as podman 4.3 reports a plain container on its default network; change fields with {@link #host}, {@link #config}
 * and {@link #network}.
 */
final class Inspected {
    static final ObjectMapper JSON = DockerClientConfig.getDefaultObjectMapper();
    static final String ID = "88ccc1dd7d4b82d00c5d4a212a37beb1ad2f04b945a90de7939a90ad51c7a9c2";

    private final ObjectNode root;
    private final ObjectNode image;

    private Inspected(ObjectNode root, ObjectNode image) {
        this.root = root;
        this.image = image;
    }

    static Inspected podmanDefaults() {
        return new Inspected(parse("""
                {"Id": "%s", "Name": "/web", "Image": "sha256:cf351634800c",
                 "HostConfig": {"Binds": [], "LogConfig": {"Type": "json-file", "Config": null}, "NetworkMode": "bridge",
                   "PortBindings": {}, "RestartPolicy": {"Name": "", "MaximumRetryCount": 0}, "AutoRemove": false,
                   "VolumeDriver": "", "VolumesFrom": null, "CapAdd": [], "CapDrop": ["AUDIT_WRITE", "MKNOD", "NET_RAW"],
                   "CgroupnsMode": "", "Dns": [], "DnsOptions": [], "DnsSearch": [], "ExtraHosts": [], "GroupAdd": [],
                   "IpcMode": "shareable", "Cgroup": "", "Links": null, "OomScoreAdj": 0, "PidMode": "private",
                   "Privileged": false, "PublishAllPorts": false, "ReadonlyRootfs": false, "SecurityOpt": [],
                   "UTSMode": "private", "UsernsMode": "", "ShmSize": 65536000, "Runtime": "oci", "ConsoleSize": [0, 0],
                   "Isolation": "", "CpuShares": 0, "Memory": 0, "NanoCpus": 0, "CgroupParent": "", "BlkioWeight": 0,
                   "BlkioWeightDevice": null, "BlkioDeviceReadBps": null, "BlkioDeviceWriteBps": null,
                   "BlkioDeviceReadIOps": null, "BlkioDeviceWriteIOps": null, "CpuPeriod": 0, "CpuQuota": 0,
                   "CpuRealtimePeriod": 0, "CpuRealtimeRuntime": 0, "CpusetCpus": "", "CpusetMems": "", "Devices": [],
                   "DeviceCgroupRules": null, "DeviceRequests": null, "KernelMemory": 0, "KernelMemoryTCP": 0,
                   "MemoryReservation": 0, "MemorySwap": 0, "MemorySwappiness": 0, "OomKillDisable": false,
                   "PidsLimit": 2048,
                   "Ulimits": [{"Name": "RLIMIT_NOFILE", "Hard": 20000, "Soft": 20000},
                               {"Name": "RLIMIT_NPROC", "Hard": 32768, "Soft": 32768}],
                   "CpuCount": 0, "CpuPercent": 0, "IOMaximumIOps": 0, "IOMaximumBandwidth": 0,
                   "MaskedPaths": null, "ReadonlyPaths": null},
                 "Mounts": [],
                 "Config": {"Hostname": "88ccc1dd7d4b", "Domainname": "", "User": "", "Tty": false, "OpenStdin": false,
                   "Env": ["PATH=/usr/bin:/bin", "HOSTNAME=88ccc1dd7d4b"], "Cmd": ["/bin/busybox", "sleep", "86400"],
                   "Image": "localhost/app:v2", "WorkingDir": "/", "Entrypoint": [], "Labels": {},
                   "StopSignal": "9", "StopTimeout": 10},
                 "NetworkSettings": {"Networks": {"podman": {"IPAMConfig": null, "Aliases": ["88ccc1dd7d4b"],
                   "NetworkID": "podman", "Gateway": "10.88.0.1", "IPAddress": "10.88.0.3", "IPPrefixLen": 16,
                   "GlobalIPv6Address": "", "MacAddress": "f2:d3:72:55:08:b8", "DriverOpts": null}}}}
                """.formatted(ID)), parse("""
                {"Id": "sha256:cf351634800c", "Config": {"Env": ["PATH=/usr/bin:/bin"],
                 "Cmd": ["/bin/busybox", "sleep", "86400"], "StopSignal": "9"}}
                """));
    }

    /** Sets {@code HostConfig.<field>} to {@code json} (any JSON value). */
    Inspected host(String field, String json) {
        ((ObjectNode) root.get("HostConfig")).set(field, value(json));
        return this;
    }

    Inspected config(String field, String json) {
        ((ObjectNode) root.get("Config")).set(field, value(json));
        return this;
    }

    Inspected imageConfig(String field, String json) {
        ((ObjectNode) image.get("Config")).set(field, value(json));
        return this;
    }

    /** Puts the container on {@code name} (replacing all networks when {@code only}) with this endpoint JSON. */
    Inspected network(String name, String endpointJson, boolean only) {
        ObjectNode nets = (ObjectNode) root.get("NetworkSettings").get("Networks");
        if (only) {
            nets.removeAll();
        }
        nets.set(name, value(endpointJson));
        return this;
    }

    InspectContainerResponse container() {
        return read(root, InspectContainerResponse.class);
    }

    InspectImageResponse oldImage() {
        return read(image, InspectImageResponse.class);
    }

    /** Runs the copy onto a create command that fails the test if it is ever sent. */
    ContainerSettings.Replacement copy(boolean fixedAddressesReported) {
        CreateContainerCmd cmd = new CreateContainerCmdImpl(c -> {
            throw new AssertionError("a unit test must not send a create request");
        }, null, "localhost/app:v1");
        return ContainerSettings.copy(cmd, container(), oldImage(), fixedAddressesReported);
    }

    /** The create request as it would be sent. */
    static JsonNode body(CreateContainerCmd cmd) {
        return JSON.valueToTree(cmd);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode value(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) value(json);
    }
}
