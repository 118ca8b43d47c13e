package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.procedures.Procedure;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.Step;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /rollback data <postgres datastore>}: dump the live database first, restore the backup into a new database
 * and verify it, stop the dependent services, swap the two by renames (the old data stays one rename away), start
 * the services and check them. A failure anywhere leaves or puts back the live database as it was.
 */
public final class PostgresRestore implements Procedure {
    private final BotConfig config;
    private final PgRestores restores;

    public PostgresRestore(BotConfig config, PgRestores restores) {
        this.config = config;
        this.restores = restores;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.DATA;
    }

    @Override
    public TargetType type() {
        return TargetType.POSTGRES;
    }

    @Override
    public List<String> locks(String target) {
        List<String> all = new ArrayList<>(List.of(target));
        all.addAll(restores.dependents().of(target));
        return all;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        DatastoreConfig d = config.datastore(request.target()).orElseThrow();
        restores.checkClients(d);
        restores.dependents().checkCanStop(d.name());
        Backup b = restores.folder().choose(d, request.backup());
        List<String> warnings = new ArrayList<>();
        String probe = "INC-999999999"; // the longest reference an incident gets: every name must fit PostgreSQL's limit
        PgNames longest = PgNames.of(d, restores.folder().folder(d), probe);
        if (longest.restored().length() > PgNames.MAX_IDENTIFIER) {
            throw new UserError("The database name " + d.database() + " of " + d.name() + " is too long for the names a restore"
                    + " makes (" + longest.restored() + " is over PostgreSQL's " + PgNames.MAX_IDENTIFIER + " characters); nothing was planned.");
        }
        if (b.keptByTheBot()) {
            warnings.add(b.name() + " is the copy of the live data the bot kept before an earlier restore: restoring it undoes that restore.");
        }
        List<String> deps = restores.dependents().of(d.name());
        if (!deps.isEmpty()) {
            warnings.add("These services are stopped while the data is swapped, and started again: " + String.join(", ", deps) + ".");
        }
        if (!Files.isWritable(restores.folder().folder(d))) {
            throw new UserError("The backups folder " + restores.folder().folder(d) + " of " + d.name() + " is not writable by the"
                    + " bot, so it cannot keep a dump of the live data first; nothing was planned.");
        }
        String sha = Checksums.sha256(b.path());
        return new Resolution(new ChosenVersions("live " + d.database(), b.name(),
                request.backup().isPresent() ? VersionChoice.BACKUP_NAMED : VersionChoice.NEWEST_BACKUP,
                java.util.Optional.empty(), java.util.Optional.of(new Pin(sha))), warnings);
    }

    /** While the approval waits: the backup is still complete and the planned file, and there is room (see BackupPreparation). */
    @Override
    public Optional<Prepared> prepare(Incident inc) {
        return Optional.of(BackupPreparation.check(restores.folder(), config.datastore(inc.target()).orElseThrow(), inc, true));
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        DatastoreConfig d = config.datastore(inc.target()).orElseThrow();
        PgRestoreRun run = restores.run(d, inc);
        String deps = String.join(", ", restores.dependents().of(d.name()));
        PgNames n = run.names();
        List<Step> steps = List.of(
                Step.of("Dump the live " + n.live() + " of " + d.name() + " into " + n.dumpFile().getFileName()
                        + " (alongside step 2)", true, run::dumpLive),
                Step.of("Restore " + inc.toVersion().orElseThrow() + " into a new database " + n.restored()
                        + " (psql, ON_ERROR_STOP) and verify it" + (d.minTables() > 0 ? " (at least " + d.minTables() + " tables)" : "")
                        + "; check the dump of step 1 is complete", true, run::restoreIntoNew),
                Step.of((deps.isEmpty() ? "" : "Stop " + deps + ", ") + "end the sessions on " + n.live() + ", swap: " + n.live()
                        + " becomes " + n.kept() + ", " + n.restored() + " becomes " + n.live(), true, run::swap),
                Step.of(deps.isEmpty() ? "Check " + n.live() + " accepts connections" : "Start " + deps + " and check their health",
                        true, run::startAndCheck));
        return new RollbackPlan(steps, run, run::figures);
    }
}
