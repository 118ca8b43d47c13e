package dev.rollbackbot.nginx;

import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.ContainerInside;
import dev.rollbackbot.docker.EngineException;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * nginx inside a container, through the Docker Engine API: files read and written with the archive API, {@code nginx -t}
 * and {@code nginx -s reload} run with exec (argument lists, no shell), their exit code and nginx's own words kept.
 */
public final class ContainerNginx implements Nginx {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String WORKER = "nginx: worker process";

    private final ContainerEngine engine;
    private final ContainerInside inside;
    private final String container;
    private final Optional<String> mainConf;

    public ContainerNginx(ContainerEngine engine, ContainerInside inside, String container, Optional<String> mainConf) {
        this.engine = engine;
        this.inside = inside;
        this.container = container;
        this.mainConf = mainConf;
    }

    @Override
    public String read(String path) {
        try {
            return inside.readFile(container, path);
        } catch (EngineException e) {
            throw new StepFailure("cannot read " + path + " in the nginx container " + container + ": " + e.getMessage());
        }
    }

    /**
     * Writes a temporary file beside {@code path} through the archive API, then renames it over {@code path} with
     * {@code mv -f} inside the container, so nginx never reads half a file. A container without {@code mv} gets the file
     * written in place.
     */
    @Override
    public void write(String path, String content) {
        int slash = path.lastIndexOf('/');
        String tmp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".rollback-bot.tmp";
        try {
            inside.writeFile(container, tmp, content);
            if (!renamed(tmp, path)) {
                inside.writeFile(container, path, content);
            }
        } catch (EngineException e) {
            throw new StepFailure("cannot write " + path + " in the nginx container " + container + ": " + e.getMessage());
        }
    }

    private boolean renamed(String from, String to) {
        return exec(List.of("mv", "-f", from, to)).ok();
    }

    @Override
    public void remove(String path) {
        Result r = exec(List.of("rm", "-f", path));
        if (!r.ok()) {
            throw new StepFailure("cannot remove " + path + " in the nginx container " + container + ": " + r.output());
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
        Set<String> oldWorkers = workers();
        return OldWorkers.awaitGone(run(mainConf, "-s", "reload"), () -> {
            Set<String> now = workers();
            return oldWorkers.stream().filter(now::contains).count();
        });
    }

    private Set<String> workers() {
        try {
            return inside.processes(container).stream().filter(p -> p.command().contains(WORKER))
                    .map(ContainerInside.ProcessInfo::pid).collect(Collectors.toSet());
        } catch (EngineException e) {
            return Set.of(); // the engine cannot list them: the reload is not waited for
        }
    }

    private Result run(Optional<String> conf, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("nginx");
        cmd.addAll(List.of(args));
        conf.ifPresent(c -> {
            cmd.add("-c");
            cmd.add(c);
        });
        return exec(cmd);
    }

    private Result exec(List<String> cmd) {
        try {
            ContainerEngine.ExecResult r = engine.exec(container, cmd, TIMEOUT);
            return new Result(r.exitCode(), r.output());
        } catch (EngineException e) {
            return new Result(-1, "cannot run " + String.join(" ", cmd) + " in the container " + container + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "nginx in the container " + container;
    }
}
