package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code psql} and {@code pg_dump} on the bot's host, started with argument lists (never a shell). The password goes
 * to them only as {@code PGPASSWORD} in their environment: never on a command line, never in a message.
 */
public final class HostPgClient implements PgClient {
    static final int BUFFER = 1 << 20;
    private final DatastoreConfig d;
    private final Optional<String> password;

    public HostPgClient(DatastoreConfig d, Optional<String> password) {
        this.d = d;
        this.password = password;
    }

    /** Control statements go through JDBC (no process to start for each); the data itself through pg_dump and psql. */
    @Override
    public String sql(String database, String... statements) {
        try (java.sql.Connection c = connect(database); java.sql.Statement st = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            for (String s : statements) {
                if (st.execute(s)) {
                    try (java.sql.ResultSet rs = st.getResultSet()) {
                        int cols = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= cols; i++) {
                                out.append(i > 1 ? "|" : "").append(rs.getString(i));
                            }
                            out.append('\n');
                        }
                    }
                }
            }
            return out.toString().strip();
        } catch (java.sql.SQLException e) {
            throw new StepFailure("SQL on " + database + " failed: " + e.getMessage());
        }
    }

    @Override
    public void transaction(String database, String... statements) {
        try (java.sql.Connection c = connect(database)) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
                c.commit();
            } catch (java.sql.SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (java.sql.SQLException e) {
            throw new StepFailure("SQL on " + database + " failed (nothing of it was done): " + e.getMessage());
        }
    }

    private java.sql.Connection connect(String database) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", d.user());
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "rollback-bot");
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + hostForUrl() + ":" + d.port() + "/"
                + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8), p);
    }

    private String hostForUrl() {
        String h = d.host().orElseThrow();
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    @Override
    public Dumped dump(String database, Path gzFile) {
        List<String> cmd = connection("pg_dump", database);
        cmd.add("--no-password");
        Process p = start(cmd, ProcessBuilder.Redirect.PIPE);
        long bytes = 0;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        Tail tail = new Tail(256);
        try {
            p.getOutputStream().close();
            Drain err = Drain.of(p.getErrorStream());
            try (InputStream in = p.getInputStream(); var file = java.nio.channels.FileChannel.open(gzFile,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    OutputStream out = new FastGzip(java.nio.channels.Channels.newOutputStream(file))) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    stopIfInterrupted(p, "the dump of " + database);
                    out.write(buf, 0, n);
                    crc.update(buf, 0, n);
                    tail.add(buf, n);
                    bytes += n;
                }
                ((FastGzip) out).finish();
                file.force(true); // kept means on disk: the live data is replaced only after this
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new StepFailure("pg_dump of " + database + " exited " + code + ": " + err.text());
            }
            return new Dumped(bytes, crc.getValue(), tail.text());
        } catch (IOException e) {
            p.destroyForcibly();
            throw new StepFailure("pg_dump of " + database + " into " + gzFile + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while pg_dump ran on " + database);
        }
    }

    @Override
    public void restore(String database, InputStream sql) {
        List<String> cmd = connection("psql", database);
        cmd.addAll(List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "--no-password"));
        Process p = start(cmd, ProcessBuilder.Redirect.DISCARD);
        Drain err = Drain.of(p.getErrorStream());
        try {
            try (OutputStream in = p.getOutputStream()) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = read(sql, buf, p, database)) > 0) {
                    stopIfInterrupted(p, "the restore into " + database);
                    in.write(buf, 0, n);
                }
            } catch (IOException e) {
                p.destroyForcibly();
                p.waitFor();
                // psql stopped reading because it stopped (ON_ERROR_STOP): its own message says more than the pipe's
                String said = err.text();
                throw new StepFailure(said.isEmpty() ? "the restore into " + database + " stopped: " + e.getMessage()
                        : "psql stopped the restore into " + database + ": " + said);
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new StepFailure("psql exited " + code + " restoring into " + database + " (ON_ERROR_STOP): " + err.text());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while restoring into " + database);
        }
    }

    /** The bot is stopping: the client is ended now rather than left to finish on its own. */
    private static void stopIfInterrupted(Process p, String what) {
        if (Thread.currentThread().isInterrupted()) {
            p.destroyForcibly();
            throw new StepFailure(what + " was stopped: the bot is stopping");
        }
    }

    /** Reads the backup; a backup that cannot be read to its end (a truncated gzip) stops psql before it sees the end. */
    private static int read(InputStream sql, byte[] buf, Process psql, String database) {
        try {
            return sql.read(buf);
        } catch (IOException e) {
            psql.destroyForcibly();
            throw new StepFailure("the backup could not be read to its end (" + (e instanceof java.io.EOFException
                    ? "the gzip stream ends early: the file is truncated" : e.getMessage()) + "), so the restore into " + database
                    + " was stopped");
        }
    }

    @Override
    public String describe() {
        return "psql on the bot's host (" + d.host().orElse("?") + ":" + d.port() + ")";
    }

    private List<String> connection(String client, String database) {
        List<String> cmd = new ArrayList<>(List.of(client, "-h", d.host().orElseThrow(), "-p", String.valueOf(d.port()), "-U", d.user(),
                "-d", database));
        return cmd;
    }

    private Process start(List<String> cmd, ProcessBuilder.Redirect stdout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout);
        pb.environment().remove("PGPASSWORD");
        password.ifPresent(pw -> pb.environment().put("PGPASSWORD", pw));
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new StepFailure("cannot run " + cmd.get(0) + " on the bot's host: " + e.getMessage()
                    + " (install the PostgreSQL client, e.g. apt-get install postgresql-client)");
        }
    }

    /** gzip at the fastest level: a pre-incident dump is written while the restore waits for it. */
    static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
