package dev.rollbackbot.nginx;

import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** nginx on the bot's host: files read and written directly, commands started with argument lists (no shell). */
public final class HostNginx implements Nginx {
    private static final long TIMEOUT_SECONDS = 30;
    private final String binary;
    private final Optional<String> mainConf;

    public HostNginx(String binary, Optional<String> mainConf) {
        this.binary = binary;
        this.mainConf = mainConf;
    }

    @Override
    public String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new StepFailure("cannot read " + path + " on the bot's host: " + e.getMessage());
        }
    }

    @Override
    public void write(String path, String content) {
        Path target = Path.of(path);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".rollback-bot.tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StepFailure("cannot write " + path + " on the bot's host: " + e.getMessage());
        }
    }

    @Override
    public void remove(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new StepFailure("cannot remove " + path + " on the bot's host: " + e.getMessage());
        }
    }

    @Override
    public Result test() {
        return run(mainConf, "-t");
    }

    @Override
    public Result testWith(String conf) {
        return run(Optional.of(conf), "-t");
    }

    /** {@code nginx -s reload}, then waits until the old worker processes have exited (see {@link OldWorkers}). */
    @Override
    public Result reload() {
        List<ProcessHandle> oldWorkers = workers();
        return OldWorkers.awaitGone(run(mainConf, "-s", "reload"), () -> oldWorkers.stream().filter(ProcessHandle::isAlive).count());
    }

    /** The master's worker processes, found through its pid file (the main config's {@code pid}, else /run/nginx.pid). */
    private List<ProcessHandle> workers() {
        try {
            String pidFile = "/run/nginx.pid";
            if (mainConf.isPresent()) {
                var m = java.util.regex.Pattern.compile("(?m)^\\s*pid\\s+([^;\\s]+)\\s*;").matcher(Files.readString(Path.of(mainConf.get())));
                if (m.find()) {
                    pidFile = m.group(1);
                }
            }
            long master = Long.parseLong(Files.readString(Path.of(pidFile)).trim());
            return ProcessHandle.of(master).map(h -> h.children().toList()).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            return List.of(); // no pid file to read: the reload is not waited for
        }
    }

    private Result run(Optional<String> conf, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        cmd.addAll(List.of(args));
        conf.ifPresent(c -> {
            cmd.add("-c");
            cmd.add(c);
        });
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when nginx exits (or its timeout below kills it)
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", cmd) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, "cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted while running " + String.join(" ", cmd));
        }
    }

    @Override
    public String describe() {
        return "nginx on the bot's host";
    }
}
