package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Redis on the bot's host with its {@code data-dir}: asked over the network, its RDB files moved in that folder.
 * Stopping it ({@code SHUTDOWN NOSAVE}, after the restore's {@code SAVE}) first reads how it runs (executable, config
 * file, port, bind, dir, dbfilename, save, appendonly), and starting it runs the same executable with the same settings,
 * as a process of its own (argument list, no shell), its output in {@code <data-dir>/redis-restart.log}.
 */
final class HostRedis implements RedisAccess {
    private static final int TIMEOUT_MS = 3_000;
    private static final List<String> SETTINGS = List.of("port", "bind", "dir", "dbfilename", "save", "appendonly", "protected-mode");
    private final DatastoreConfig d;
    private final String host;
    private final Path dir;
    private final Optional<String> password;
    private final Clock clock;
    private volatile List<String> restart;
    private volatile Process started;

    HostRedis(DatastoreConfig d, Optional<String> password, Clock clock) {
        this.d = d;
        this.host = d.host().orElseThrow();
        this.dir = Path.of(d.dataDir().orElseThrow());
        this.password = password;
        this.clock = clock;
    }

    private RedisWire connect() throws IOException {
        RedisWire w = new RedisWire(host, d.port(), TIMEOUT_MS);
        if (password.isPresent()) {
            w.call("AUTH", password.get());
        }
        return w;
    }

    @Override
    public Optional<Long> dbsize() {
        try (RedisWire w = connect()) {
            return Optional.of(Long.parseLong(w.text("DBSIZE")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save() {
        try (RedisWire w = connect()) {
            w.text("SAVE");
        } catch (IOException e) {
            throw new StepFailure("SAVE on Redis at " + host + ":" + d.port() + " failed: " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (restart != null && dbsize().isEmpty()) {
            return; // stopped by this restore already (a put-back stops it again)
        }
        try (RedisWire w = connect()) {
            restart = commandLine(w);
            try {
                w.call("SHUTDOWN", "NOSAVE");
            } catch (IOException closed) {
                // the connection ends as Redis stops
            }
        } catch (IOException e) {
            throw new StepFailure("Redis at " + host + ":" + d.port() + " does not answer (" + e.getMessage() + "), and a Redis on the"
                    + " bot's host can only be restarted once the bot has read how it runs: restart it by hand");
        }
        try {
            Poll.Outcome<Boolean> o = new Poll(clock, Duration.ofMillis(20), Duration.ofMillis(200)).until(Duration.ofSeconds(30),
                    () -> dbsize().isEmpty() ? Poll.Attempt.done(true) : Poll.Attempt.notYet("still answering"));
            if (o.value().isEmpty()) {
                throw new StepFailure("Redis at " + host + ":" + d.port() + " still answers 30 s after SHUTDOWN NOSAVE");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while Redis stopped");
        }
    }

    /** How the running Redis was started, from INFO and CONFIG GET; refuses a Redis whose dir is not the data-dir. */
    private List<String> commandLine(RedisWire w) throws IOException {
        String info = w.text("INFO", "server");
        // INFO's executable is argv[0] resolved against Redis's working folder: wrong for a Redis started as plain
        // "redis-server" from PATH, so the same name is then looked up on PATH (the binary picks its mode by that name)
        String exe = field(info, "executable").map(HostRedis::executable).orElse("redis-server");
        Optional<String> conf = field(info, "config_file").filter(c -> !c.isBlank());
        List<String> cmd = new ArrayList<>(List.of(exe));
        conf.ifPresent(cmd::add);
        for (String s : SETTINGS) {
            Object r = w.call("CONFIG", "GET", s);
            if (r instanceof List<?> l && l.size() == 2) {
                String v = String.valueOf(l.get(1));
                if (s.equals("dir") && !Path.of(v).toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                    throw new StepFailure("Redis at " + host + ":" + d.port() + " keeps its data in " + v + ", not in data-dir " + dir
                            + "; nothing was changed. Fix datastores." + d.name() + ".data-dir.");
                }
                cmd.add("--" + s);
                cmd.add(s.equals("bind") ? v.split(" ")[0] : v);
            }
        }
        cmd.addAll(List.of("--daemonize", "no"));
        return cmd;
    }

    private static String executable(String reported) {
        if (Files.isExecutable(Path.of(reported))) {
            return reported;
        }
        String name = Path.of(reported).getFileName().toString();
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, name))) {
                return Path.of(folder, name).toString();
            }
        }
        return name;
    }

    private static Optional<String> field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip()).findFirst();
    }

    @Override
    public void start() {
        List<String> cmd = restart;
        if (cmd == null) {
            throw new StepFailure("the bot did not stop this Redis, so it does not know how to start it: start it by hand");
        }
        try {
            started = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-restart.log").toFile())).start();
        } catch (IOException e) {
            throw new StepFailure("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
    }

    @Override
    public String awaitPong(Duration within) throws InterruptedException {
        Poll.Outcome<String> o = new Poll(clock, Duration.ofMillis(20), Duration.ofMillis(300)).until(within, () -> {
            try (RedisWire w = connect()) {
                String r = w.text("PING");
                return r.equals("PONG") ? Poll.Attempt.done("PONG") : Poll.Attempt.notYet(r);
            } catch (IOException e) {
                Process p = started;
                return p != null && !p.isAlive() ? Poll.Attempt.done("exited") : Poll.Attempt.notYet(e.getMessage());
            }
        });
        if (o.value().isEmpty()) {
            throw new StepFailure("Redis at " + host + ":" + d.port() + " did not answer PONG within " + Durations.human(within)
                    + " (last: " + o.lastSeen() + ")");
        }
        if (o.value().get().equals("exited")) {
            throw new StepFailure("Redis at " + host + ":" + d.port() + " stopped right after starting: it refused the RDB file ("
                    + lastLogLine() + ")");
        }
        return "Redis at " + host + ":" + d.port() + ": PONG after " + Durations.human(o.elapsed());
    }

    private String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis-restart.log"));
            return lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).map(String::strip).orElse("no output");
        } catch (IOException e) {
            return "no output";
        }
    }

    @Override
    public boolean read(String name, Path local) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            Files.copy(f, local, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new StepFailure("cannot read " + f + ": " + e.getMessage());
        }
    }

    @Override
    public void write(Path local, String name) {
        Path tmp = dir.resolve("." + name + ".rollback-bot.tmp");
        try {
            Files.copy(local, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StepFailure("cannot write " + dir.resolve(name) + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "Redis at " + host + ":" + d.port() + ", " + dir;
    }
}
