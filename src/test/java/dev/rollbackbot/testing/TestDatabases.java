package dev.rollbackbot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Fresh, throw-away databases for store tests: a file-based H2 database in a temp dir, or a new database on the
 * PostgreSQL server ({@code TEST_POSTGRES_URL}, the JDBC URL of its maintenance database, by default
 * {@value #DEFAULT_POSTGRES_URL} as user {@code postgres}).
 */
public final class TestDatabases {
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String POSTGRES_USER = "postgres";

    private TestDatabases() {
    }

    /** A database made for one test class: its URL and credentials, and how to get rid of it. */
    public interface TestDatabase extends AutoCloseable {
        String url();

        String user();

        String password();

        /** Drops the database (PostgreSQL) or deletes its files (H2). */
        @Override
        void close();
    }

    /** A fresh file-based H2 database in its own temp dir. */
    public static TestDatabase h2() {
        Path dir;
        try {
            dir = Files.createTempDirectory("rbt-h2-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "jdbc:h2:file:" + dir.resolve("incidents").toAbsolutePath();
        return new TestDatabase() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public String user() {
                return null;
            }

            @Override
            public String password() {
                return null;
            }

            @Override
            public void close() {
                deleteTree(dir);
            }
        };
    }

    /**
     * A fresh, empty database {@code rbt_<random>} on the test PostgreSQL server. When the server cannot be
     * reached this skips the test (or fails it under {@code CI=true}) through {@link Services#unavailable}.
     */
    public static TestDatabase postgres() {
        return postgres("rbt_");
    }

    /** A new PostgreSQL database whose name starts with {@code prefix} (each session its own). */
    public static TestDatabase postgres(String prefix) {
        String maintenanceUrl = postgresMaintenanceUrl();
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = connect(maintenanceUrl); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            Services.unavailable("PostgreSQL at " + describe(maintenanceUrl), e.getMessage());
            throw new AssertionError("unreachable", e);
        }
        String url = withDatabase(maintenanceUrl, name);
        return new TestDatabase() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public String user() {
                return userOf(maintenanceUrl);
            }

            @Override
            public String password() {
                return null;
            }

            @Override
            public void close() {
                try (Connection c = connect(maintenanceUrl); Statement s = c.createStatement()) {
                    // force: a pool that was not closed (a failed test) must not keep the database around
                    s.execute("drop database if exists " + name + " with (force)");
                } catch (SQLException e) {
                    if ("42601".equals(e.getSQLState())) { // before PostgreSQL 13: no "with (force)"
                        dropPlain();
                        return;
                    }
                    throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
                }
            }

            private void dropPlain() {
                try (Connection c = connect(maintenanceUrl); Statement s = c.createStatement()) {
                    s.execute("drop database if exists " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
                }
            }
        };
    }

    public static String postgresMaintenanceUrl() {
        String fromEnv = System.getenv("TEST_POSTGRES_URL");
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_POSTGRES_URL : fromEnv.trim();
    }

    private static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        if (!url.contains("user=")) {
            p.setProperty("user", POSTGRES_USER);
        }
        // fail fast when nothing listens, rather than after the driver's default timeouts
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url, p);
    }

    /** The user the URL names, else {@code postgres}; passed on so that the new database is reached the same way. */
    private static String userOf(String url) {
        return url.contains("user=") ? null : POSTGRES_USER;
    }

    /** The same URL with its database (the path) replaced by {@code name}, query parameters kept. */
    static String withDatabase(String url, String name) {
        int hostStart = url.indexOf("//");
        if (!url.startsWith("jdbc:postgresql:") || hostStart < 0) {
            throw new IllegalArgumentException("TEST_POSTGRES_URL must look like jdbc:postgresql://host:port/db, not " + url);
        }
        int query = url.indexOf('?', hostStart);
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        int slash = base.indexOf('/', hostStart + 2);
        String server = slash < 0 ? base : base.substring(0, slash);
        return server + "/" + name + params;
    }

    /** Host and port for messages: no credentials. */
    private static String describe(String url) {
        int hostStart = url.indexOf("//");
        if (hostStart < 0) {
            return url;
        }
        String rest = url.substring(hostStart + 2);
        int end = rest.indexOf('/');
        String server = end < 0 ? rest : rest.substring(0, end);
        return server.substring(server.lastIndexOf('@') + 1);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
