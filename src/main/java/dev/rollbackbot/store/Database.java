package dev.rollbackbot.store;

import dev.rollbackbot.common.Errors;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The incident database: a pooled connection to H2 or PostgreSQL, migrated by Flyway on open. */
public final class Database implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/rollback-bot;DB_CLOSE_ON_EXIT=FALSE";
    /**
     * The newest migration in {@code db/migration}, and how many there are. When the database already has exactly these
     * applied, Flyway (about half a second of start-up, mostly loading its classes) is not run at all; any other state
     * (a new database, a migration added or missing) goes through Flyway. {@code DatabaseTest} fails when these numbers
     * do not match the migration files.
     */
    public static final int SCHEMA_VERSION = 8;
    public static final int MIGRATIONS = 9;

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(durable(url));
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setPoolName("incidents");
        c.setMaximumPoolSize(8);
        c.setConnectionTimeout(5_000);
        c.setInitializationFailTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the incident database " + redact(url) + ": " + Errors.rootMessage(e)
                    + " (check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD)", e);
        }
        if (schemaIsCurrent(ds)) {
            return new Database(ds);
        }
        try {
            // the shared schema, plus the Quartz job store's tables, whose SQL differs per vendor (outside db/migration,
            // which Flyway scans recursively)
            Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/quartz/" + vendor(url))
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("cannot migrate the incident database " + redact(url) + ": " + Errors.rootMessage(e), e);
        }
        return new Database(ds);
    }

    /**
     * An embedded H2 file database writes committed transactions to its file after a delay (half a second by default):
     * a bot killed outright (SIGKILL, OOM) would lose them, e.g. a card's ts or a page already sent. {@code WRITE_DELAY=20}
     * narrows that to 20 ms, unless the URL sets a delay itself. Not 0: then each commit writes the file in the calling
     * thread, and a thread interrupted during that write (shutdown interrupts runs) closes the whole database.
     */
    public static String durable(String url) {
        boolean embeddedFile = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:")
                && !url.startsWith("jdbc:h2:ssl:");
        return embeddedFile && !url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY") ? url + ";WRITE_DELAY=20" : url;
    }

    /** True when Flyway has already applied {@link #SCHEMA_VERSION} successfully; false when unsure. */
    static boolean schemaIsCurrent(DataSource ds) {
        try (Connection c = ds.getConnection();
                var ps = c.prepareStatement("select count(*), sum(case when \"version\" = ? then 1 else 0 end)"
                        + " from \"flyway_schema_history\" where \"version\" is not null and \"success\" = true")) {
            ps.setString(1, String.valueOf(SCHEMA_VERSION));
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == MIGRATIONS && rs.getInt(2) == 1;
            }
        } catch (SQLException e) {
            return false; // a new database (no history table yet), or one Flyway must look at
        }
    }

    /** {@code postgresql} or {@code h2}: the folder of vendor-specific migrations, and how Quartz talks to the database. */
    public static String vendor(String url) {
        return url.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbc jdbc() {
        return new Jdbc(dataSource);
    }

    /** True when a connection can be had and answers: the readiness part of {@code /health}. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * The database for people: an embedded H2 file as its absolute path ({@code /srv/bot/data/rollback-bot.mv.db}), any
     * other URL without credentials.
     */
    public static String describe(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^jdbc:h2:(?:file:)?([^;:][^;]*)").matcher(url);
        if (m.find() && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")) {
            return "H2 file " + java.nio.file.Path.of(m.group(1) + ".mv.db").toAbsolutePath().normalize();
        }
        return redact(url);
    }

    /** The URL without credentials, fit for an error message. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    }
}
