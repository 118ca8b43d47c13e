package dev.rollbackbot.docker;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.health.DatastoreProbe;
import java.time.Duration;
import java.util.List;

/** The runbook's checks run inside the datastore's container: {@code pg_isready} and {@code redis-cli ping}. */
public final class ContainerDatastoreProbe implements DatastoreProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ContainerEngine engine;

    public ContainerDatastoreProbe(ContainerEngine engine) {
        this.engine = engine;
    }

    @Override
    public Answer check(DatastoreConfig d) {
        String container = d.container().orElseThrow();
        ContainerEngine.ContainerInfo c;
        try {
            c = engine.container(container).orElse(null);
        } catch (EngineException e) {
            return new Answer(false, e.getMessage());
        }
        if (c == null) {
            return new Answer(false, "container " + container + " does not exist on " + engine.describe());
        }
        if (!c.running()) {
            return new Answer(false, "container " + container + " is not running (" + c.status() + ")");
        }
        List<String> cmd = switch (d.type()) {
            case POSTGRES -> List.of("pg_isready", "-U", d.user(), "-d", d.database());
            case REDIS -> List.of("redis-cli", "ping");
        };
        ContainerEngine.ExecResult r;
        try {
            r = engine.exec(container, cmd, TIMEOUT);
        } catch (EngineException e) {
            return new Answer(false, e.getMessage());
        }
        String shown = String.join(" ", cmd) + " in " + container;
        return switch (d.type()) {
            case POSTGRES -> r.exitCode() == 0
                    ? new Answer(true, shown + ": " + r.output())
                    : new Answer(false, shown + " exited " + r.exitCode() + ": " + r.output());
            case REDIS -> r.output().strip().equals("PONG")
                    ? new Answer(true, shown + ": PONG")
                    : r.output().contains("NOAUTH")
                            ? new Answer(true, shown + ": answers but wants a password (NOAUTH); it is up")
                            : new Answer(false, shown + " answered '" + r.output() + "' instead of PONG");
        };
    }
}
