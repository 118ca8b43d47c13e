package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.EngineException;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code psql} and {@code pg_dump} inside the datastore's container, through the engine's exec (the seed's
 * {@code docker exec}), with argument lists; SQL files move through the archive API into and out of the container's
 * {@code /tmp}. The password reaches the clients only as {@code PGPASSWORD} in the exec's environment.
 */
final class ContainerPgClient implements PgClient {
    private static final Duration SHORT = Duration.ofMinutes(2);
    private static final Duration LONG = Duration.ofHours(2);
    private static final String TMP = "/tmp";
    private final ContainerEngine engine;
    private final DatastoreConfig d;
    private final String container;
    private final Map<String, String> env;

    ContainerPgClient(ContainerEngine engine, DatastoreConfig d, Optional<String> password) {
        this.engine = engine;
        this.d = d;
        this.container = d.container().orElseThrow();
        this.env = password.map(pw -> Map.of("PGPASSWORD", pw)).orElse(Map.of());
    }

    @Override
    public String sql(String database, String... statements) {
        List<String> cmd = psql(database);
        cmd.addAll(List.of("-A", "-t"));
        for (String s : statements) {
            cmd.add("-c");
            cmd.add(s);
        }
        return run(cmd, SHORT, "psql on " + database);
    }

    @Override
    public void transaction(String database, String... statements) {
        List<String> cmd = psql(database);
        cmd.add("-1");
        for (String s : statements) {
            cmd.add("-c");
            cmd.add(s);
        }
        run(cmd, SHORT, "psql on " + database + " (one transaction: nothing of it was done)");
    }

    @Override
    public Dumped dump(String database, Path gzFile) {
        String inside = TMP + "/rollback-bot-dump-" + UUID.randomUUID() + ".sql";
        Path local = null;
        try {
            List<String> cmd = new ArrayList<>(List.of("pg_dump", "-U", d.user(), "-d", database, "--no-password", "-f", inside));
            run(cmd, LONG, "pg_dump of " + database + " in " + container);
            local = Files.createTempFile("rollback-bot-dump", ".sql");
            if (!engine.copyOut(container, inside, local)) {
                throw new StepFailure("pg_dump in " + container + " wrote no " + inside);
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            Tail tail = new Tail(256);
            long bytes = 0;
            try (InputStream in = Files.newInputStream(local); var file = java.nio.channels.FileChannel.open(gzFile,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    HostPgClient.FastGzip out = new HostPgClient.FastGzip(java.nio.channels.Channels.newOutputStream(file))) {
                byte[] buf = new byte[HostPgClient.BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    crc.update(buf, 0, n);
                    tail.add(buf, n);
                    bytes += n;
                }
                out.finish();
                file.force(true);
            }
            return new Dumped(bytes, crc.getValue(), tail.text());
        } catch (IOException | EngineException e) {
            throw new StepFailure("pg_dump of " + database + " in " + container + " into " + gzFile + ": " + e.getMessage());
        } finally {
            removeQuietly(inside);
            deleteQuietly(local);
        }
    }

    @Override
    public void restore(String database, InputStream sql) {
        String name = "rollback-bot-restore-" + UUID.randomUUID() + ".sql";
        Path local = null;
        try {
            local = Files.createTempFile("rollback-bot-restore", ".sql");
            try (OutputStream out = Files.newOutputStream(local)) {
                byte[] buf = new byte[HostPgClient.BUFFER];
                int n;
                while ((n = read(sql, buf, database)) > 0) {
                    out.write(buf, 0, n);
                }
            }
            engine.copyIn(container, TMP, name, local);
            List<String> cmd = psql(database);
            cmd.addAll(List.of("-f", TMP + "/" + name));
            run(cmd, LONG, "psql restoring into " + database + " (ON_ERROR_STOP)");
        } catch (IOException | EngineException e) {
            throw new StepFailure("the restore into " + database + " in " + container + " failed: " + e.getMessage());
        } finally {
            removeQuietly(TMP + "/" + name);
            deleteQuietly(local);
        }
    }

    private static int read(InputStream sql, byte[] buf, String database) {
        try {
            return sql.read(buf);
        } catch (IOException e) {
            throw new StepFailure("the backup could not be read to its end (" + (e instanceof java.io.EOFException
                    ? "the gzip stream ends early: the file is truncated" : e.getMessage()) + "), so nothing was restored into " + database);
        }
    }

    @Override
    public String describe() {
        return "psql in container " + container;
    }

    private List<String> psql(String database) {
        return new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--no-password", "-U", d.user(), "-d", database));
    }

    private String run(List<String> cmd, Duration timeout, String what) {
        ContainerEngine.ExecResult r;
        try {
            r = engine.exec(container, cmd, env, timeout);
        } catch (EngineException e) {
            throw new StepFailure(what + ": " + e.getMessage());
        }
        if (r.exitCode() != 0) {
            throw new StepFailure(what + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    private void removeQuietly(String inside) {
        try {
            engine.exec(container, List.of("rm", "-f", inside), SHORT);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ContainerPgClient.class).warn("could not remove {} in {}: {}", inside, container, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            p.toFile().delete();
        }
    }
}
