package dev.rollbackbot.data;

import static dev.rollbackbot.data.PgNames.ident;
import static dev.rollbackbot.data.PgNames.literal;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.health.Poll;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Clock;
import java.time.Duration;

/** The statements one PostgreSQL restore runs on the maintenance database: which databases exist, create, drop, rename. */
final class PgDatabases {
    private static final Duration SWAP_WITHIN = Duration.ofSeconds(15);

    private final PgClient pg;
    private final PgNames names;
    private final Clock clock;

    PgDatabases(PgClient pg, PgNames names, Clock clock) {
        this.pg = pg;
        this.names = names;
        this.clock = clock;
    }

    boolean exists(String db) {
        return !pg.sql(names.maintenance(), "select 1 from pg_database where datname = " + literal(db)).isBlank();
    }

    void refuseTaken(String db) {
        if (exists(db)) {
            throw new StepFailure("a database " + db + " exists already (from an earlier restore?), so nothing was changed. Rename or"
                    + " drop it, then request the restore again.");
        }
    }

    void create(String db) {
        pg.sql(names.maintenance(), "create database " + ident(db) + " template template0");
    }

    void drop(String db) {
        pg.sql(names.maintenance(), "drop database if exists " + ident(db) + " with (force)");
    }

    /** Ends the sessions on {@code a} and renames a to b and c to d in one transaction, again while sessions linger. */
    String renames(String a, String b, String c, String dName) throws InterruptedException {
        int[] terminated = {0};
        var o = new Poll(clock, Duration.ofMillis(20), Duration.ofMillis(200)).until(SWAP_WITHIN, () -> {
            terminated[0] += Integer.parseInt(pg.sql(names.maintenance(), "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where datname in (" + literal(a) + ", " + literal(c) + ") and pid <> pg_backend_pid()").strip());
            try {
                pg.transaction(names.maintenance(), "alter database " + ident(a) + " rename to " + ident(b), "alter database " + ident(c)
                        + " rename to " + ident(dName));
                return Poll.Attempt.done(true);
            } catch (StepFailure e) {
                if (!e.getMessage().contains("being accessed by other users")) {
                    throw new StepFailure("the renames failed, so " + a + " is unchanged: " + e.getMessage());
                }
                return Poll.Attempt.notYet(e.getMessage());
            }
        });
        if (o.value().isEmpty()) {
            throw new StepFailure("sessions on " + a + " kept coming back for " + Durations.human(SWAP_WITHIN) + ", so the renames"
                    + " were not made and " + a + " is unchanged: " + o.lastSeen());
        }
        return "ended " + terminated[0] + " session(s) and renamed " + a + " to " + b + " and " + c + " to " + dName
                + (o.attempts() > 1 ? " (" + o.attempts() + " attempts)" : "");
    }

    /** Ends the sessions on {@code from} and renames it, for a live database that was missing: nothing to swap with. */
    String renameOnly(String from, String to) {
        pg.sql(names.maintenance(), "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = " + literal(from)
                + " and pid <> pg_backend_pid()");
        pg.sql(names.maintenance(), "alter database " + ident(from) + " rename to " + ident(to));
        return "renamed " + from + " to " + to;
    }
}
