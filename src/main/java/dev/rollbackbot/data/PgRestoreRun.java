package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore of a PostgreSQL datastore, step by step, and its put-back. The live database is never written to: the
 * backup goes into a new database, and only renames swap the two, in one transaction. How far it got is in
 * {@link PgRestoreState} (its checkpoint), the put-back in {@link PgPutBack}, the dump of the live data in
 * {@link PgLiveDump}, the statements in {@link PgDatabases}.
 */
final class PgRestoreRun implements Recovery {
    private static final Logger log = LoggerFactory.getLogger(PgRestoreRun.class);

    private final DatastoreConfig d;
    private final long incidentId;
    private final String ref;
    private final PgClient pg;
    private final BackupFolder folder;
    private final Dependents dependents;
    private final DataRestores figuresStore;
    private final Clock clock;
    private final PgNames names;
    private final String backupName;
    private final String approvedSha;
    private final PgRestoreState state;
    private final PgDatabases dbs;
    private final PgLiveDump dump;
    private final PgPutBack putBack;

    private volatile Instant startedAt;

    PgRestoreRun(DatastoreConfig d, long incidentId, String ref, String backupName, String approvedSha, PgClient pg, BackupFolder folder,
            Dependents dependents, DataRestores figuresStore, Clock clock) {
        this.d = d;
        this.incidentId = incidentId;
        this.ref = ref;
        this.pg = pg;
        this.folder = folder;
        this.dependents = dependents;
        this.figuresStore = figuresStore;
        this.clock = clock;
        this.names = PgNames.of(d, folder.folder(d), ref);
        this.backupName = backupName;
        this.approvedSha = approvedSha;
        this.state = new PgRestoreState("the restore of " + d.name());
        this.dbs = new PgDatabases(pg, names, clock);
        this.dump = new PgLiveDump(pg, names, state, ref);
        this.putBack = new PgPutBack(d, backupName, names, state, dbs, dump, dependents);
    }

    String backupName() {
        return backupName;
    }

    PgNames names() {
        return names;
    }

    /** Step: the live data dumped into the backups folder and the dump checked complete, before anything else. */
    String dumpLive() {
        startedAt = clock.instant();
        dbs.refuseTaken(names.restored());
        dbs.refuseTaken(names.kept());
        if (Files.exists(names.dumpFile())) {
            throw new StepFailure(names.dumpFile() + " exists already; nothing was changed. Move it away and request the restore again.");
        }
        if (!dbs.exists(names.live())) {
            state.liveMissing = true;
            state.saveQuietly();
            return "there is no database " + names.live() + " to keep (it is missing), so nothing was dumped";
        }
        // the dump runs alongside the restore into the new database (it only reads the live one); nothing is swapped
        // before it is proven complete
        dump.start();
        return "dumping the live " + names.live() + " into " + names.dumpFile() + " alongside the restore; it is checked complete"
                + " before anything is swapped";
    }

    /** Step: the backup restored into a new database, checked against the approved checksum, pg_dump's end and min-tables. */
    String restoreIntoNew() throws InterruptedException {
        var backup = folder.resolve(d, backupName);
        // saved before it is created: a take-over must know it may exist (the put-back drops it only if it does; its name
        // was checked free when the run began)
        state.created = true;
        state.save();
        dbs.create(names.restored());
        MessageDigest md = Checksums.digest();
        Tail tail = new Tail(256);
        try (InputStream raw = new DigestInputStream(Files.newInputStream(backup.path()), md);
                InputStream sql = new TailStream(new GZIPInputStream(raw, HostPgClient.BUFFER), tail)) {
            pg.restore(names.restored(), sql);
            raw.transferTo(OutputStream.nullOutputStream()); // whatever follows the gzip stream still counts for the checksum
        } catch (IOException e) {
            throw new StepFailure("cannot read the backup " + backup.path() + ": " + e.getMessage());
        } catch (StepFailure e) {
            throw new StepFailure(e.getMessage() + "; " + names.live() + " is untouched");
        }
        String sha = Checksums.hex(md);
        if (!sha.equals(approvedSha)) {
            throw new StepFailure(backupName + " changed since the restore was approved (its checksum is not the approved one), so it"
                    + " was not used; " + names.live() + " is untouched. Request the restore again.");
        }
        if (!tail.text().contains(BackupFolder.PG_DUMP_COMPLETE)) {
            throw new StepFailure(backupName + " does not end with pg_dump's completion marker, so the restored data may be"
                    + " partial and was not used; " + names.live() + " is untouched.");
        }
        int tables = pg.tableCount(names.restored());
        if (tables < d.minTables()) {
            throw new StepFailure("the restored " + names.restored() + " has " + tables + " tables, fewer than min-tables "
                    + d.minTables() + ", so it was not used; " + names.live() + " is untouched.");
        }
        String dumpDetail = dump.await();
        return "restored " + backupName + " (" + Sizes.human(backup.size()) + ") into " + names.restored() + " with " + tables
                + " tables; psql exited 0; the checksum is the approved one" + (dumpDetail.isEmpty() ? "" : "; " + dumpDetail);
    }

    /** Step: dependents stopped, sessions ended, both renames in one transaction. */
    String swap() throws InterruptedException {
        List<String> now = dependents.stopRunning(dependents.of(d.name()), name -> {
            state.stopped.add(name);
            state.save();
        });
        String stoppedText = now.isEmpty() ? "no dependent service was running" : "stopped " + String.join(", ", now);
        state.swapped = true; // saved before the renames: whoever puts things back must know they may have happened
        state.save();
        String ended = state.liveMissing ? dbs.renameOnly(names.restored(), names.live())
                : dbs.renames(names.live(), names.kept(), names.restored(), names.live());
        Instant at = clock.instant();
        state.saveQuietly();
        Backup b = folder.resolve(d, backupName);
        var f = new DataRestores.Figures(incidentId, d.name(), backupName, b.takenAt(), at, Duration.between(startedAt == null ? at : startedAt, at));
        state.figures = Optional.of(f);
        try {
            figuresStore.record(f);
        } catch (RuntimeException e) {
            log.warn("{}: could not record the restore's figures: {}", ref, e.toString());
        }
        return stoppedText + "; " + ended + "; " + names.live() + " now holds " + backupName + (state.liveMissing ? ""
                : ", the data before is kept as " + names.kept());
    }

    /** Step: dependents started and healthy; without dependents, the new live database answers. */
    String startAndCheck() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String name : List.copyOf(state.stopped)) {
            dependents.start(name);
        }
        for (String name : List.copyOf(state.stopped)) {
            try {
                out.add(dependents.awaitHealthy(name));
            } catch (UserError e) {
                throw new StepFailure(e.getMessage() + ", so the restore is being undone");
            }
        }
        int tables = pg.tableCount(names.live());
        state.committed = true;
        state.saveQuietly();
        out.add(names.live() + " accepts connections (" + tables + " tables)");
        return String.join("; ", out);
    }

    /** The figures for the outcome: data-loss window and restore duration. */
    String figures() {
        return state.figures.map(f -> "data-loss window " + Durations.human(f.dataLossWindow()) + " (" + f.backup() + " taken "
                + f.backupAt().truncatedTo(ChronoUnit.SECONDS) + ", live again "
                + f.restoredAt().truncatedTo(ChronoUnit.SECONDS) + "); restore took " + Durations.human(f.took())).orElse("");
    }

    @Override
    public Optional<Step> afterFailure() {
        return putBack.step();
    }

    @Override
    public Optional<Step> afterInterruption() {
        return afterFailure();
    }

    @Override
    public String whereThingsStand() {
        return putBack.whereThingsStand();
    }

    @Override
    public String checkpoint() {
        return state.checkpoint();
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        state.checkpointTo(sink);
    }

    @Override
    public void resumeFrom(String checkpoint) {
        state.resumeFrom(checkpoint);
    }
}
