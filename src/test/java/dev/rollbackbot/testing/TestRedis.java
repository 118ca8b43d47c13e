package dev.rollbackbot.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Redis of this host's own (redis-server), on a port and folder of the test's, saving nothing by itself. */
public final class TestRedis {
    private TestRedis() {
    }

    /** Starts redis-server on 127.0.0.1:{@code port} with {@code dir} for its files and log; returns once it answers PONG. */
    public static void start(int port, Path dir) throws Exception {
        new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        TestBot.eventually(() -> cli(port, "ping"), "PONG"::equals, "the test's Redis on port " + port);
    }

    /** What redis-cli answers on {@code port}; the exception's text when it could not run. */
    public static String cli(int port, String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out;
        } catch (Exception e) {
            return e.toString();
        }
    }
}
