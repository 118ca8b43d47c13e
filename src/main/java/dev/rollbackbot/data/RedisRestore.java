package dev.rollbackbot.data;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@code /rollback data <redis datastore>}: keep the current RDB, put the backup in place, restart, PONG, DBSIZE. */
public final class RedisRestore implements Procedure {
    private final BotConfig config;
    private final BackupFolder folder;
    private final Dependents dependents;
    private final Function<DatastoreConfig, RedisAccess> access;
    private final DataRestores figures;
    private final Clock clock;

    public RedisRestore(BotConfig config, BackupFolder folder, Dependents dependents, Function<DatastoreConfig, RedisAccess> access,
            DataRestores figures, Clock clock) {
        this.config = config;
        this.folder = folder;
        this.dependents = dependents;
        this.access = access;
        this.figures = figures;
        this.clock = clock;
    }

    @Override
    public RollbackKind kind() {
        return RollbackKind.DATA;
    }

    @Override
    public TargetType type() {
        return TargetType.REDIS;
    }

    @Override
    public List<String> locks(String target) {
        List<String> all = new ArrayList<>(List.of(target));
        all.addAll(dependents.of(target));
        return all;
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        DatastoreConfig d = config.datastore(request.target()).orElseThrow();
        access.apply(d);
        Backup b = folder.choose(d, request.backup());
        return new Resolution(new ChosenVersions("live " + RedisRestoreRun.RDB, b.name(),
                request.backup().isPresent() ? VersionChoice.BACKUP_NAMED : VersionChoice.NEWEST_BACKUP, Optional.empty(),
                Optional.of(new Pin(Checksums.sha256(b.path())))), List.of());
    }

    /** While the approval waits: the backup is still complete and the planned file, and there is room (see BackupPreparation). */
    @Override
    public Optional<Prepared> prepare(Incident inc) {
        return Optional.of(BackupPreparation.check(folder, config.datastore(inc.target()).orElseThrow(), inc, false));
    }

    @Override
    public RollbackPlan plan(Incident inc) {
        DatastoreConfig d = config.datastore(inc.target()).orElseThrow();
        RedisAccess redis = access.apply(d);
        RedisRestoreRun run = new RedisRestoreRun(d, inc, redis, folder, figures, clock);
        String backup = inc.toVersion().orElseThrow();
        return new RollbackPlan(List.of(
                Step.of("Count and save " + d.name() + " (DBSIZE, SAVE), stop it, keep " + RedisRestoreRun.RDB + " as " + run.kept(),
                        true, run::stopAndKeep),
                Step.of("Put " + backup + " in place as " + RedisRestoreRun.RDB + " in " + redis.describe(), true, run::putInPlace),
                Step.of("Start " + d.name() + ", wait for PONG, count again (DBSIZE)", true, run::startAndCheck)), run, run::figures);
    }
}
