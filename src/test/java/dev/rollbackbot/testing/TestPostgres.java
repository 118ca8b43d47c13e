package dev.rollbackbot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

/** The real PostgreSQL at 127.0.0.1:5432 (trust, user postgres), for data rollback tests: databases, rows and dumps. */
public final class TestPostgres {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;

    private TestPostgres() {
    }

    public static Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, p);
    }

    /** Runs statements on {@code database}. */
    public static void exec(String database, String... sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of every row {@code sql} gives, as text. */
    public static List<String> column(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The databases whose names start with {@code prefix}. */
    public static List<String> databases(String prefix) {
        return column("postgres", "select datname from pg_database where datname like '" + prefix.replace("_", "\\_") + "%' order by 1");
    }

    /** Drops every database whose name starts with {@code prefix} (ending their sessions). */
    public static void dropAll(String prefix) {
        for (String db : databases(prefix)) {
            exec("postgres", "drop database if exists \"" + db + "\" with (force)");
        }
    }

    /** A fresh database {@code name} (dropped first when it exists). */
    public static void create(String name) {
        exec("postgres", "drop database if exists \"" + name + "\" with (force)", "create database \"" + name + "\"");
    }

    /** {@code pg_dump} of {@code database}, plain SQL, gzipped into {@code file}: a backup as the runbook's cron makes it. */
    public static void dump(String database, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pg_dump", "-h", HOST, "-p", String.valueOf(PORT), "-U", "postgres", "-d", database)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = p.getInputStream(); OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            in.transferTo(out);
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_dump of " + database + " exited " + p.exitValue());
        }
    }

    /** Gzips {@code text} into {@code file}. */
    public static void gzip(String text, Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
