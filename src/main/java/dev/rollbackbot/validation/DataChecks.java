package dev.rollbackbot.validation;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.data.PgClient;
import dev.rollbackbot.health.DatastoreProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** The checks of a datastore: PostgreSQL accepts connections or Redis answers PONG; PostgreSQL has its min-tables. */
final class DataChecks {
    private final DatastoreProbe probe;
    private final Function<DatastoreConfig, PgClient> pg;
    private final Clock clock;

    DataChecks(DatastoreProbe probe, Function<DatastoreConfig, PgClient> pg, Clock clock) {
        this.probe = probe;
        this.pg = pg;
        this.clock = clock;
    }

    CheckResult ready(DatastoreConfig d) {
        Check check = d.type() == DatastoreType.POSTGRES ? Check.POSTGRES : Check.REDIS;
        Instant t0 = clock.instant();
        DatastoreProbe.Answer a = probe.check(d);
        Duration took = Duration.between(t0, clock.instant());
        if (a.ok()) {
            return CheckResult.passed(check, d.name(), a.seen(), took);
        }
        String todo = d.type() == DatastoreType.POSTGRES
                ? "Check " + d.name() + " (" + d.describeLocation() + ") by hand; `/rollback data " + d.name() + "` restores a backup"
                : "Restart " + d.name() + " (" + d.describeLocation() + ") and check it answers PONG";
        return CheckResult.failed(check, d.name(), a.seen().replaceAll("[.\\s]+$", "") + ". " + todo, took);
    }

    CheckResult minTables(DatastoreConfig d) {
        if (d.minTables() == 0) {
            return CheckResult.skipped(Check.MIN_TABLES, d.name(), "min-tables is not set (datastores." + d.name() + ".min-tables)");
        }
        Instant t0 = clock.instant();
        int tables;
        try {
            tables = pg.apply(d).tableCount(d.database());
        } catch (UserError e) {
            return CheckResult.failed(Check.MIN_TABLES, d.name(), "could not count the tables of " + d.database() + ": "
                    + e.getMessage().replaceAll("[.\\s]+$", "") + ". Check " + d.name() + " by hand",
                    Duration.between(t0, clock.instant()));
        }
        Duration took = Duration.between(t0, clock.instant());
        if (tables < d.minTables()) {
            return CheckResult.failed(Check.MIN_TABLES, d.name(), d.database() + " has " + tables + " tables, fewer than min-tables "
                    + d.minTables() + ": tables are missing. Check the last migration or restore of " + d.name()
                    + "; `/rollback data " + d.name() + "` restores a backup", took);
        }
        return CheckResult.passed(Check.MIN_TABLES, d.name(), d.database() + " has " + tables + " tables (min-tables "
                + d.minTables() + ")", took);
    }
}
