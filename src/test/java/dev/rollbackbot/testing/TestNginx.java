package dev.rollbackbot.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real nginx of the test's own, everything under a temp folder: a main config with one upstream per colour (each a
 * {@link ColourServer}) that includes a site file listening on a free port. Started with {@code nginx -c}, stopped
 * with {@code nginx -s stop -c}. Needs Debian's nginx (bin/test-services installs it).
 */
public final class TestNginx implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/nginx";
    private final Path dir;
    private final Path conf;
    private final Path site;
    private final int port;

    private TestNginx(Path dir, Path conf, Path site, int port) {
        this.dir = dir;
        this.conf = conf;
        this.site = site;
        this.port = port;
    }

    /** Fails under CI=true (skips elsewhere) when nginx is not installed. */
    public static void require() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            Services.unavailable("nginx", BINARY + " is not installed (apt-get install nginx)");
        }
    }

    /** An nginx with {@code upstreams} (colour to port) whose site sends traffic to {@code live}. */
    public static TestNginx start(Map<String, Integer> upstreams, String live) throws Exception {
        require();
        Path dir = Files.createTempDirectory("rbt-nginx");
        int port = TestEngine.freePort();
        Path site = dir.resolve("site.conf");
        Files.writeString(site, siteText(port, live));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, mainConf(dir.toString(), upstreams, site.toString()));
        TestNginx n = new TestNginx(dir, conf, site, port);
        n.run("-c", conf.toString());
        TestBot.eventually(() -> ColourServer.get(n.url("/health")), a -> a.startsWith("200"), "nginx on " + port + " answering");
        return n;
    }

    /** A main config keeping everything under {@code dir}, with one upstream per colour, including {@code site}. */
    public static String mainConf(String dir, Map<String, Integer> upstreams, String site) {
        StringBuilder ups = new StringBuilder();
        upstreams.forEach((c, p) -> ups.append("    upstream ").append(c).append(" { server 127.0.0.1:").append(p).append("; }\n"));
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %2$s    include %3$s;
                }
                """.formatted(dir, ups, site);
    }

    public static String siteText(int port, String upstream) {
        return """
                server {
                    listen 127.0.0.1:%d;
                    location / {
                        proxy_pass http://%s;
                    }
                }
                """.formatted(port, upstream);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Path site() {
        return site;
    }

    public Path conf() {
        return conf;
    }

    public Path dir() {
        return dir;
    }

    /** {@code nginx -t -c <conf> && nginx -s reload -c <conf>}, as the runbook does it. */
    public void testAndReload() throws Exception {
        run("-t", "-c", conf.toString());
        run("-s", "reload", "-c", conf.toString());
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run("-s", "stop", "-c", conf.toString());
        } catch (IllegalStateException e) {
            // already stopped
        }
    }
}
