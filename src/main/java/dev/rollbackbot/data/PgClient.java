package dev.rollbackbot.data;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * The PostgreSQL clients a restore runs ({@code psql}, {@code pg_dump}), on the bot's host or inside the datastore's
 * container. Failures are {@link dev.rollbackbot.rollback.StepFailure}s naming the client and what it printed.
 */
public interface PgClient {
    /**
     * Runs the statements on {@code database}, each in its own transaction, stopping at the first error; returns the
     * rows they give, one a line, columns separated by {@code |} (as {@code psql -At} prints them).
     */
    String sql(String database, String... statements);

    /** How many tables {@code database} has outside PostgreSQL's own schemas (what {@code min-tables} is held against). */
    default int tableCount(String database) {
        return Integer.parseInt(sql(database, "select count(*) from information_schema.tables where table_schema"
                + " not in ('pg_catalog', 'information_schema')").strip());
    }

    /** Runs the statements on {@code database} in one transaction: all of them or none. */
    void transaction(String database, String... statements);

    /** What a dump wrote: the bytes of SQL, their CRC-32 and the end of the SQL text (for pg_dump's completion marker). */
    record Dumped(long sqlBytes, long crc32, String tail) {
    }

    /** {@code pg_dump} of {@code database} (plain SQL), gzipped into {@code gzFile} and forced to disk. */
    Dumped dump(String database, Path gzFile);

    /**
     * Feeds {@code sql} into {@code psql -v ON_ERROR_STOP=1 -d database}: fails when psql exits non-zero. The stream is
     * read to its end first (a stream that throws, e.g. a truncated gzip, fails the restore).
     */
    void restore(String database, InputStream sql);

    /** Where the clients run, for messages: {@code psql on the bot's host (127.0.0.1:5432)}. */
    String describe();
}
