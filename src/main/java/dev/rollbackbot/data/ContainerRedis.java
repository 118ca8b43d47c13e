package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.StepFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A Redis in a container: {@code redis-cli} through exec, the RDB files through the archive API, stop/start through the engine. */
final class ContainerRedis implements RedisAccess {
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    private final ContainerEngine engine;
    private final String container;
    private final String dir;
    private final Clock clock;

    ContainerRedis(ContainerEngine engine, DatastoreConfig d, Clock clock) {
        this.engine = engine;
        this.container = d.container().orElseThrow();
        this.dir = d.dataDir().orElse("/data");
        this.clock = clock;
    }

    @Override
    public Optional<Long> dbsize() {
        if (!running()) {
            return Optional.empty();
        }
        ContainerEngine.ExecResult r = engine.exec(container, List.of("redis-cli", "DBSIZE"), EXEC_TIMEOUT);
        try {
            return r.exitCode() == 0 ? Optional.of(Long.parseLong(r.output().replace("(integer)", "").strip())) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save() {
        ContainerEngine.ExecResult r = engine.exec(container, List.of("redis-cli", "SAVE"), EXEC_TIMEOUT);
        if (r.exitCode() != 0 || !r.output().strip().equals("OK")) {
            throw new StepFailure("redis-cli SAVE in " + container + " answered '" + r.output() + "' (exit " + r.exitCode() + ")");
        }
    }

    @Override
    public void stop() {
        engine.stop(container, Duration.ofSeconds(30));
    }

    @Override
    public void start() {
        engine.start(container);
    }

    @Override
    public String awaitPong(Duration within) throws InterruptedException {
        Poll.Outcome<String> o = new Poll(clock, Duration.ofMillis(50), Duration.ofMillis(500)).until(within, () -> {
            if (!running()) {
                return Poll.Attempt.done("exited");
            }
            ContainerEngine.ExecResult r;
            try {
                r = engine.exec(container, List.of("redis-cli", "ping"), Duration.ofSeconds(5));
            } catch (dev.rollbackbot.docker.EngineException e) {
                return running() ? Poll.Attempt.notYet(e.getMessage()) : Poll.Attempt.done("exited");
            }
            return r.output().strip().equals("PONG") ? Poll.Attempt.done("PONG") : Poll.Attempt.notYet("redis-cli ping: " + r.output());
        });
        if (o.value().isEmpty()) {
            throw new StepFailure("Redis in " + container + " did not answer PONG within " + dev.rollbackbot.config.Durations.human(within)
                    + " (last: " + o.lastSeen() + ")");
        }
        if (o.value().get().equals("exited")) {
            String status = engine.container(container).map(ContainerEngine.ContainerInfo::status).orElse("gone");
            throw new StepFailure("Redis in " + container + " stopped right after starting (" + status + "): it refused the RDB file");
        }
        return "redis-cli ping in " + container + ": PONG after " + dev.rollbackbot.config.Durations.human(o.elapsed());
    }

    @Override
    public boolean read(String name, Path local) {
        return engine.copyOut(container, dir + "/" + name, local);
    }

    @Override
    public void write(Path local, String name) {
        engine.copyIn(container, dir, name, local);
    }

    @Override
    public String describe() {
        return "container " + container + ":" + dir;
    }

    private boolean running() {
        return engine.container(container).map(ContainerEngine.ContainerInfo::running).orElse(false);
    }
}
