package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.DatastoreChecks;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The emergency's datastore steps 3 and 4 done for real: a PostgreSQL that does not accept connections is restored
 * from its newest complete backup with the data rollback's steps (dump what is there, restore into a new database,
 * swap by renames, start and check the dependents; put back on failure); a Redis that does not answer PONG is restarted.
 */
public final class EmergencyRepairs implements DatastoreChecks.DatastoreRepair {
    private static final Duration PONG_WITHIN = Duration.ofSeconds(30);
    private final PgRestores pg;
    private final Function<DatastoreConfig, RedisAccess> redis;

    public EmergencyRepairs(PgRestores pg, Function<DatastoreConfig, RedisAccess> redis) {
        this.pg = pg;
        this.redis = redis;
    }

    @Override
    public boolean canRepair(DatastoreConfig d) {
        if (d.type() == DatastoreType.REDIS) {
            return d.container().isPresent();
        }
        try {
            pg.dependents().checkCanStop(d.name());
        } catch (dev.rollbackbot.common.UserError e) {
            return false; // a dependent the bot cannot stop: the check says what to do by hand
        }
        return d.backups().isPresent();
    }

    @Override
    public String repair(DatastoreConfig d, Incident incident) throws Exception {
        return d.type() == DatastoreType.POSTGRES ? restore(d, incident) : restart(d);
    }

    private String restore(DatastoreConfig d, Incident incident) throws Exception {
        PgRestoreRun run = pg.newest(d, incident);
        StringBuilder done = new StringBuilder("restored from the newest complete backup " + run.backupName() + ": ");
        try {
            done.append(run.dumpLive()).append("; ");
            done.append(run.restoreIntoNew()).append("; ");
            done.append(run.swap()).append("; ");
            done.append(run.startAndCheck());
        } catch (RuntimeException | InterruptedException e) {
            Optional<Step> back = run.afterFailure();
            String putBack = "";
            if (back.isPresent()) {
                try {
                    putBack = "; put back: " + back.get().run();
                } catch (Exception again) {
                    putBack = "; putting back failed too: " + again.getMessage();
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StepFailure("the restore of " + run.backupName() + " failed: " + e.getMessage() + putBack);
        }
        String figures = run.figures();
        return done + (figures.isEmpty() ? "" : "; " + figures);
    }

    private String restart(DatastoreConfig d) throws InterruptedException {
        RedisAccess r = redis.apply(d);
        r.stop();
        r.start();
        return "restarted " + r.describe() + ": " + r.awaitPong(PONG_WITHIN);
    }
}
