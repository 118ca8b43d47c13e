package dev.rollbackbot.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Docker Engine API for tests (podman's, see .ci/podman-service), with the test images built from
 * busybox: {@code web:v1}/{@code web:v2} answer their health URL, {@code flaky:v1} never does.
 */
public final class TestEngine {
    public static final String DEFAULT_HOST = "unix:///run/rollback-bot-podman/podman.sock";
    public static final String WEB_V1 = "localhost/rollback-test-web:v1";
    public static final String WEB_V2 = "localhost/rollback-test-web:v2";
    public static final String FLAKY_V1 = "localhost/rollback-test-flaky:v1";
    public static final String FLAKY_V2 = "localhost/rollback-test-flaky:v2";
    /** Stands in for a datastore container: {@code pg_isready} and {@code redis-cli ping} that answer like the real ones. */
    public static final String TOOLS = "localhost/rollback-test-tools:v1";
    /** Redis made of this host's redis-server and redis-cli (and their libraries) on busybox; data in /data, no saving on its own. */
    public static final String REDIS = "localhost/rollback-test-redis:v1";
    /** PostgreSQL 15 made of this host's server binaries on busybox, a cluster made at build time (trust). */
    public static final String POSTGRES = "localhost/rollback-test-postgres:v1";
    /** The host's own nginx binary, its libraries and /etc/nginx on busybox (no registry here to pull an image from). */
    public static final String NGINX = "localhost/rollback-test-nginx:v2";
    private static TestEngine instance;

    private final String host;
    private final DockerClient client;
    private final List<String> created = new ArrayList<>();

    private TestEngine(String host, DockerClient client) {
        this.host = host;
        this.client = client;
    }

    /** The engine, with the test images present; skips (or fails under CI) when there is none. */
    public static synchronized TestEngine require() {
        if (instance != null) {
            return instance;
        }
        String host = System.getenv().getOrDefault("DOCKER_HOST", DEFAULT_HOST);
        DockerClient c;
        try {
            var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
            c = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                    .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(60)).build());
            c.pingCmd().exec();
        } catch (RuntimeException e) {
            Services.unavailable("a Docker Engine API at " + host, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw new IllegalStateException("unreachable");
        }
        TestEngine engine = new TestEngine(host, c);
        engine.buildImages();
        instance = engine;
        return engine;
    }

    public String host() {
        return host;
    }

    public DockerClient client() {
        return client;
    }

    /** Runs a container like {@code docker run -d --restart unless-stopped -p 127.0.0.1:PORT:8080 -e ... -l ...}. */
    public void run(String name, String image, int hostPort, Map<String, String> env, Map<String, String> labels) {
        remove(name);
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(8080), Ports.Binding.bindIpAndPort("127.0.0.1", hostPort));
        String id = client.createContainerCmd(image).withName(name)
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(labels)
                .withExposedPorts(ExposedPort.tcp(8080))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(ports)
                        .withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
                .exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    /**
     * Runs a container with the settings a real service has: its own command, a named volume, a bind mount, a
     * user-defined network, environment, labels, a port and a restart policy.
     */
    public void runWithSettings(String name, String image, int hostPort, String network, String volume, java.nio.file.Path bindDir) {
        remove(name);
        try {
            client.inspectNetworkCmd().withNetworkId(network).exec();
        } catch (NotFoundException e) {
            client.createNetworkCmd().withName(network).exec();
        }
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(8080), Ports.Binding.bindIpAndPort("127.0.0.1", hostPort));
        String id = client.createContainerCmd(image).withName(name)
                .withCmd("/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www")
                .withEnv("FEATURE_FLAGS=checkout-v2")
                .withLabels(Map.of("team", "payments"))
                .withExposedPorts(ExposedPort.tcp(8080))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(ports)
                        .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                        .withNetworkMode(network)
                        .withBinds(new com.github.dockerjava.api.model.Bind(volume, new com.github.dockerjava.api.model.Volume("/data")),
                                new com.github.dockerjava.api.model.Bind(bindDir.toString(),
                                        new com.github.dockerjava.api.model.Volume("/config"), com.github.dockerjava.api.model.AccessMode.ro)))
                .exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    /** Runs a container with a host device node mapped in (as {@code docker run --device HOST:/dev/rbt}). */
    public void runWithDevice(String name, String image, int hostPort, java.nio.file.Path hostDevice) {
        remove(name);
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(8080), Ports.Binding.bindIpAndPort("127.0.0.1", hostPort));
        String id = client.createContainerCmd(image).withName(name)
                .withExposedPorts(ExposedPort.tcp(8080))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(ports)
                        .withDevices(new com.github.dockerjava.api.model.Device("rwm", "/dev/rbt", hostDevice.toString())))
                .exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    public InspectContainerResponse inspect(String name) {
        return client.inspectContainerCmd(name).exec();
    }

    public boolean exists(String name) {
        try {
            client.inspectContainerCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The image reference the container was created from. */
    public String imageOf(String name) {
        return inspect(name).getConfig().getImage();
    }

    public boolean running(String name) {
        return Boolean.TRUE.equals(inspect(name).getState().getRunning());
    }

    public void remove(String name) {
        try {
            client.removeContainerCmd(name).withForce(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        }
    }

    /** Removes every container whose name starts with {@code prefix} (the service's and any kept old one). */
    public void removeAll(String prefix) {
        client.listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> c.getNames() != null && java.util.Arrays.stream(c.getNames()).anyMatch(n -> n.replaceFirst("^/", "").startsWith(prefix)))
                .forEach(c -> remove(c.getId()));
    }

    public List<String> namesStartingWith(String prefix) {
        return client.listContainersCmd().withShowAll(true).exec().stream()
                .flatMap(c -> java.util.Arrays.stream(c.getNames())).map(n -> n.replaceFirst("^/", ""))
                .filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /** Closes what a test class started (nulls are skipped), then removes its containers. */
    public static void cleanUp(TestEngine engine, String containerPrefix, AutoCloseable... started) throws Exception {
        Exception first = null;
        for (AutoCloseable c : started) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (engine != null) {
            engine.removeAll(containerPrefix);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Ports {@link #freePort} handed out in this JVM, never handed out twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port nothing listens on, for a server or a published container port the test starts next. Chosen below
     * Linux's ephemeral range (32768 and up), where the kernel picks the local ports of outgoing connections: a port
     * from that range (what binding port 0 gives) could be taken by any client socket before the test binds it, as
     * RunnableJarIT once found when podman's bind failed with "address already in use".
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(20000, 32768);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port found between 20000 and 32767");
    }

    private void buildImages() {
        // created in this order, so each v1 is older than its v2 ("previous version" by creation time)
        build(WEB_V1, "v1", true);
        build(WEB_V2, "v2", true);
        build(FLAKY_V1, "v1", false);
        build(FLAKY_V2, "v2", true);
        buildTools();
    }

    private void buildTools() {
        buildImage(TOOLS, root -> {
            Files.writeString(root.resolve("bin/pg_isready"), "#!/bin/sh\necho \"/var/run/postgresql:5432 - accepting connections\"\n");
            Files.writeString(root.resolve("bin/redis-cli"), "#!/bin/sh\necho PONG\n");
            root.resolve("bin/pg_isready").toFile().setExecutable(true, false);
            root.resolve("bin/redis-cli").toFile().setExecutable(true, false);
        }, List.of("CMD [\"/bin/busybox\", \"sleep\", \"86400\"]", "STOPSIGNAL SIGKILL"));
    }

    /** Builds {@link #REDIS} (once) from the host's Redis binaries; a missing redis-server is a missing service. */
    public void buildRedis() {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-server")) || !Files.isExecutable(Path.of("/usr/bin/redis-cli"))) {
            Services.unavailable("redis-server and redis-cli in /usr/bin (to build the Redis test image)", "not installed");
        }
        buildImage(REDIS, root -> {
            for (String bin : List.of("/usr/bin/redis-server", "/usr/bin/redis-cli")) {
                copyWithLibraries(Path.of(bin), root);
            }
            Files.createDirectories(root.resolve("data"));
        }, List.of("CMD [\"/usr/bin/redis-server\", \"--dir\", \"/data\", \"--save\", \"\", \"--appendonly\", \"no\","
                + " \"--bind\", \"0.0.0.0\", \"--protected-mode\", \"no\"]", "ENV PATH=/usr/local/bin:/usr/bin:/bin"));
    }

    /**
     * Builds {@link #POSTGRES} (once) from the host's PostgreSQL 15 (binaries, libraries, share files), with a cluster
     * made by {@code initdb} at build time (trust, locale C); the server runs as postgres with its socket in
     * /var/run/postgresql, so {@code psql -U postgres} inside the container just works.
     */
    public void buildPostgres() {
        Path bin = Path.of("/usr/lib/postgresql/15/bin");
        if (!Files.isExecutable(bin.resolve("postgres")) || !Files.isExecutable(bin.resolve("initdb"))) {
            Services.unavailable("PostgreSQL 15 server binaries in " + bin + " (to build the PostgreSQL test image)", "not installed");
        }
        buildImage(POSTGRES, root -> {
            try (var files = Files.list(bin)) {
                for (Path f : files.toList()) {
                    copyWithLibraries(f, root);
                }
            }
            copyTree(Path.of("/usr/lib/postgresql/15/lib"), root, "bitcode");
            copyTree(Path.of("/usr/share/postgresql/15"), root, null);
            for (String z : List.of("/usr/share/zoneinfo/UTC", "/usr/share/zoneinfo/Etc/UTC")) {
                Path to = root.resolve(z.substring(1));
                Files.createDirectories(to.getParent());
                Files.copy(Path.of(z), to);
            }
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\npostgres:x:101:104::/var/lib/postgresql:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\npostgres:x:104:\n");
            for (String tool : List.of("rm", "ls", "cat")) {
                Files.createSymbolicLink(root.resolve("bin/" + tool), Path.of("busybox"));
            }
            Path tmp = Files.createDirectories(root.resolve("tmp"));
            exec(List.of("chmod", "1777", tmp.toString()));
            Path run = Files.createDirectories(root.resolve("var/run/postgresql"));
            Path home = Files.createDirectories(root.resolve("var/lib/postgresql"));
            exec(List.of("chown", "101:104", run.toString(), home.toString()));
            for (Path p = root; p != null && !p.equals(root.getRoot()); p = p.getParent()) {
                p.toFile().setExecutable(true, false); // initdb runs as postgres and must reach the data folder
            }
            exec(List.of("runuser", "-u", "postgres", "--", bin.resolve("initdb").toString(), "-D", home.resolve("data").toString(),
                    "-U", "postgres", "--auth=trust", "--locale=C", "-E", "UTF8"));
        }, List.of("CMD [\"/usr/lib/postgresql/15/bin/postgres\", \"-D\", \"/var/lib/postgresql/data\", \"-c\", \"listen_addresses=\","
                + " \"-c\", \"unix_socket_directories=/var/run/postgresql\"]", "USER postgres", "STOPSIGNAL SIGINT",
                "ENV PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin"));
    }

    /** Starts a PostgreSQL container of {@link #POSTGRES} named {@code name}, reached through exec only. */
    public void runPostgres(String name) {
        remove(name);
        String id = client.createContainerCmd(POSTGRES).withName(name).exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    private static void copyTree(Path from, Path root, String skip) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path f : all.toList()) {
                if (skip != null && from.relativize(f).startsWith(skip)) {
                    continue;
                }
                Path to = root.resolve(f.toString().substring(1));
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!Files.exists(to)) {
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
    }

    /** Starts a Redis container of {@link #REDIS}, named {@code name} (no ports: it is reached through exec). */
    public void runRedis(String name) {
        remove(name);
        String id = client.createContainerCmd(REDIS).withName(name).exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    /** Copies a binary and every library {@code ldd} lists for it to the same paths under {@code root}. */
    private static void copyWithLibraries(Path binary, Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(binary));
        Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(/\\S+)\\s+\\(0x").matcher(line);
            if (m.find()) {
                files.add(Path.of(m.group(1)));
            }
        }
        for (Path f : files) {
            Path to = root.resolve(f.toString().substring(1));
            Files.createDirectories(to.getParent());
            if (!Files.exists(to)) {
                Files.copy(f, to); // follows links: the library itself, under the name the binary asks for
                to.toFile().setExecutable(true, false);
            }
        }
    }

    /**
     * Builds {@link #NGINX} when missing: busybox (with {@code mv}, {@code rm}, {@code cat}), {@code /usr/sbin/nginx} and every library {@code ldd}
     * lists for it at the same paths, {@code /etc/nginx}, and users for its workers. Only the tests that need it call this.
     */
    public void buildNginxImage() {
        TestNginx.require();
        buildImage(NGINX, root -> {
            for (String d : List.of("usr/sbin", "etc", "var/log/nginx", "var/lib/nginx", "run", "tmp")) {
                Files.createDirectories(root.resolve(d));
            }
            Files.createSymbolicLink(root.resolve("bin/mv"), Path.of("busybox"));
            Files.createSymbolicLink(root.resolve("bin/cat"), Path.of("busybox"));
            Files.createSymbolicLink(root.resolve("bin/rm"), Path.of("busybox"));
            Files.copy(Path.of(TestNginx.BINARY), root.resolve("usr/sbin/nginx"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            for (String lib : libraries(TestNginx.BINARY)) {
                Path to = root.resolve(lib.substring(1));
                Files.createDirectories(to.getParent());
                Files.copy(Path.of(lib), to); // follows the symlink: the library itself under its linked name
            }
            exec(List.of("cp", "-a", "/etc/nginx", root.resolve("etc").toString()));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n");
        }, List.of("CMD [\"/usr/sbin/nginx\", \"-g\", \"daemon off;\"]", "STOPSIGNAL SIGKILL"));
    }

    private static List<String> libraries(String binary) throws IOException {
        Process p = new ProcessBuilder("ldd", binary).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        List<String> libs = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(/\\S+)").matcher(out);
        while (m.find()) {
            libs.add(m.group(1));
        }
        return libs;
    }

    /**
     * Runs {@link #NGINX} on the host's network as {@code name}, with {@code files} (path to content) copied in before it
     * starts, as {@code nginx -g 'daemon off;' -c conf}.
     */
    public void runNginx(String name, Map<String, String> files, String conf) throws IOException {
        remove(name);
        String id = client.createContainerCmd(NGINX).withName(name)
                .withCmd("/usr/sbin/nginx", "-g", "daemon off;", "-c", conf)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host"))
                .exec().getId();
        created.add(name);
        Path dir = Files.createTempDirectory("rbt-nginx-files");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path to = dir.resolve(f.getKey().substring(1));
            Files.createDirectories(to.getParent());
            Files.writeString(to, f.getValue());
        }
        client.copyArchiveToContainerCmd(id).withHostResource(dir.toString()).withDirChildrenOnly(true).withRemotePath("/").exec();
        client.startContainerCmd(id).exec();
    }

    /** {@code cat path} inside a running container, through exec; fails when cat does. */
    public String cat(String container, String path) {
        String execId = client.execCreateCmd(container).withCmd("cat", path).withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            client.execStartCmd(execId).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame f) {
                    synchronized (out) {
                        out.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
        if (code == null || code != 0) {
            throw new IllegalStateException("cat " + path + " in " + container + " failed (" + code + "): " + out);
        }
        synchronized (out) {
            return out.toString();
        }
    }

    /** Starts a long-running tools container (no ports). */
    public void runTools(String name) {
        remove(name);
        String id = client.createContainerCmd(TOOLS).withName(name).exec().getId();
        created.add(name);
        client.startContainerCmd(id).exec();
    }

    public void stop(String name) {
        client.stopContainerCmd(name).withTimeout(1).exec();
    }

    private void build(String ref, String version, boolean healthy) {
        buildImage(ref, root -> {
            Path www = Files.createDirectories(root.resolve("www"));
            Files.createDirectories(www.resolve("api"));
            for (String page : List.of("queues", "users", "sessions")) {
                Files.writeString(www.resolve("api/" + page), "[]");
            }
            if (healthy) {
                Files.writeString(www.resolve("health"), "ok " + version + "\n");
            }
        }, List.of("CMD [\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]",
                "STOPSIGNAL SIGKILL", "ENV APP_VERSION=" + version, "LABEL org.opencontainers.image.version=" + version));
    }

    @FunctionalInterface
    private interface RootFs {
        void fill(Path root) throws IOException;
    }

    /** Imports a busybox root file system, filled by {@code content}, as {@code ref} (once; kept between runs). */
    private void buildImage(String ref, RootFs content, List<String> changes) {
        try {
            client.inspectImageCmd(ref).exec();
            return;
        } catch (NotFoundException e) {
            // build it below
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            Services.unavailable("busybox-static (/bin/busybox) to build test images", "not installed");
        }
        String cli = which("podman") != null ? "podman" : which("docker") != null ? "docker" : null;
        if (cli == null) {
            Services.unavailable("podman or docker CLI to import test images", "neither is on PATH");
        }
        try {
            Path dir = Files.createTempDirectory("rollback-image");
            Path root = Files.createDirectories(dir.resolve("rootfs"));
            Files.createDirectories(root.resolve("bin"));
            Files.copy(busybox, root.resolve("bin/busybox"));
            Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
            content.fill(root);
            Path tar = dir.resolve("rootfs.tar");
            exec(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
            List<String> cmd = new ArrayList<>(List.of(cli, "import"));
            for (String change : changes) {
                cmd.add("--change");
                cmd.add(change);
            }
            cmd.add(tar.toString());
            cmd.add(ref);
            exec(cmd);
        } catch (IOException e) {
            throw new IllegalStateException("building " + ref, e);
        }
    }

    private static String which(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) {
                return dir + "/" + cmd;
            }
        }
        return null;
    }

    private static void exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
