package dev.rollbackbot.data;

import static dev.rollbackbot.data.PgNames.ident;
import static dev.rollbackbot.data.PgNames.literal;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore of a PostgreSQL datastore, step by step, and its put-back. The live database is never written to: the
 * backup goes into a new database, and only renames swap the two, in one transaction.
 */
final class PgRestoreRun implements Recovery {
    private static final Logger log = LoggerFactory.getLogger(PgRestoreRun.class);
    private static final Duration SWAP_WITHIN = Duration.ofSeconds(15);

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

    private volatile boolean dumped;
    private volatile java.util.concurrent.CompletableFuture<String> dump;
    /** The live database did not exist (an emergency: dropped by a bad migration): nothing to keep, one rename. */
    private volatile boolean liveMissing;
    private volatile boolean created;
    private volatile boolean swapped;
    private volatile boolean committed;
    private volatile boolean putBack;
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private volatile Instant startedAt;
    private volatile Optional<DataRestores.Figures> figures = Optional.empty();
    private volatile CheckpointSink sink = CheckpointSink.NONE;

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
        refuseTaken(names.restored());
        refuseTaken(names.kept());
        if (Files.exists(names.dumpFile())) {
            throw new StepFailure(names.dumpFile() + " exists already; nothing was changed. Move it away and request the restore again.");
        }
        if (!exists(names.live())) {
            liveMissing = true;
            saveQuietly();
            return "there is no database " + names.live() + " to keep (it is missing), so nothing was dumped";
        }
        // the dump runs alongside the restore into the new database (it only reads the live one); nothing is swapped
        // before it is proven complete
        dump = java.util.concurrent.CompletableFuture.supplyAsync(this::dumpAndCheck, runInOwnThread());
        return "dumping the live " + names.live() + " into " + names.dumpFile() + " alongside the restore; it is checked complete"
                + " before anything is swapped";
    }

    private static java.util.concurrent.Executor runInOwnThread() {
        return r -> {
            Thread t = new Thread(r, "pg-dump");
            t.setDaemon(true);
            t.start();
        };
    }

    /**
     * The dump, checked complete without reading it again: pg_dump exited 0, the SQL ended with its completion marker,
     * and the file on disk ends with a gzip trailer whose CRC-32 and length are those of all the SQL written.
     */
    private String dumpAndCheck() {
        PgClient.Dumped dumped;
        try {
            dumped = pg.dump(names.live(), names.dumpFile());
        } catch (RuntimeException e) {
            deleteQuietly();
            throw new StepFailure("the dump of the live " + names.live() + " failed: " + e.getMessage());
        }
        Optional<String> problem = !dumped.tail().contains(BackupFolder.PG_DUMP_COMPLETE)
                ? Optional.of("it does not end with pg_dump's completion marker")
                : GzipTrailer.mismatch(names.dumpFile(), dumped.crc32(), dumped.sqlBytes());
        if (problem.isPresent()) {
            deleteQuietly();
            throw new StepFailure("the dump of the live " + names.live() + " is not complete (" + problem.get() + ")");
        }
        this.dumped = true;
        return "kept the live data as " + names.dumpFile() + " (" + Sizes.human(dumped.sqlBytes()) + " of SQL, " + Sizes.human(size())
                + " gzipped, complete)";
    }

    /** Waits for the dump of the live data; a dump that failed stops the restore before anything is swapped. */
    private String awaitDump() throws InterruptedException {
        if (dump == null) {
            return liveMissing ? "" : "no dump of the live data was made";
        }
        try {
            String done = dump.get();
            saveQuietly();
            return done;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw new StepFailure((c == null ? e : c).getMessage() + ", so nothing was swapped; " + names.live() + " is untouched");
        }
    }

    /** Step: the backup restored into a new database, checked against the approved checksum, pg_dump's end and min-tables. */
    String restoreIntoNew() throws InterruptedException {
        var backup = folder.resolve(d, backupName);
        save();
        created = true;
        pg.sql(names.maintenance(), "create database " + ident(names.restored()) + " template template0");
        saveQuietly();
        MessageDigest md = Checksums.digest();
        Tail tail = new Tail(256);
        try (InputStream raw = new DigestInputStream(Files.newInputStream(backup.path()), md);
                InputStream sql = new TailStream(new GZIPInputStream(raw, HostPgClient.BUFFER), tail)) {
            pg.restore(names.restored(), sql);
            raw.transferTo(java.io.OutputStream.nullOutputStream()); // whatever follows the gzip stream still counts for the checksum
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
        String dumpDetail = awaitDump();
        return "restored " + backupName + " (" + Sizes.human(backup.size()) + ") into " + names.restored() + " with " + tables
                + " tables; psql exited 0; the checksum is the approved one" + (dumpDetail.isEmpty() ? "" : "; " + dumpDetail);
    }

    /** Step: dependents stopped, sessions ended, both renames in one transaction. */
    String swap() throws InterruptedException {
        List<String> now = dependents.stopRunning(dependents.of(d.name()), name -> {
            stopped.add(name);
            save();
        });
        String stoppedText = now.isEmpty() ? "no dependent service was running" : "stopped " + String.join(", ", now);
        swapped = true; // saved before the renames: whoever puts things back must know they may have happened
        save();
        String ended = liveMissing ? renameOnly(names.restored(), names.live()) : renames(names.live(), names.kept(), names.restored(), names.live());
        Instant at = clock.instant();
        saveQuietly();
        Backup b = folder.resolve(d, backupName);
        var f = new DataRestores.Figures(incidentId, d.name(), backupName, b.takenAt(), at, Duration.between(startedAt == null ? at : startedAt, at));
        figures = Optional.of(f);
        try {
            figuresStore.record(f);
        } catch (RuntimeException e) {
            log.warn("{}: could not record the restore's figures: {}", ref, e.toString());
        }
        return stoppedText + "; " + ended + "; " + names.live() + " now holds " + backupName + (liveMissing ? ""
                : ", the data before is kept as " + names.kept());
    }

    /** Step: dependents started and healthy; without dependents, the new live database answers. */
    String startAndCheck() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String name : List.copyOf(stopped)) {
            dependents.start(name);
        }
        for (String name : List.copyOf(stopped)) {
            try {
                out.add(dependents.awaitHealthy(name));
            } catch (UserError e) {
                throw new StepFailure(e.getMessage() + ", so the restore is being undone");
            }
        }
        int tables = pg.tableCount(names.live());
        committed = true;
        saveQuietly();
        out.add(names.live() + " accepts connections (" + tables + " tables)");
        return String.join("; ", out);
    }

    /** The figures for the outcome: data-loss window and restore duration. */
    String figures() {
        return figures.map(f -> "data-loss window " + Durations.human(f.dataLossWindow()) + " (" + f.backup() + " taken "
                + f.backupAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", live again "
                + f.restoredAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "); restore took " + Durations.human(f.took())).orElse("");
    }

    @Override
    public Optional<Step> afterFailure() {
        if (committed || putBack) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put " + d.name() + " back as it was: live " + names.live() + " untouched or renamed back, drop "
                + names.restored() + ", start what was stopped", true, this::putBack));
    }

    @Override
    public Optional<Step> afterInterruption() {
        return afterFailure();
    }

    private String putBack() throws InterruptedException {
        List<String> done = new ArrayList<>();
        if (dump != null) {
            try {
                dump.get(); // a dump still running reads the live database only; let it end before reporting
            } catch (java.util.concurrent.ExecutionException e) {
                done.add("the dump of the live data failed too (" + e.getCause().getMessage() + ")");
            }
        }
        if (swapped) {
            List<String> more = dependents.stopRunning(dependents.of(d.name()), name -> {
                if (!stopped.contains(name)) {
                    stopped.add(name);
                }
            });
            done.add(swappedBack(more));
        } else {
            done.add(names.live() + " was never replaced: it is live as it was");
        }
        if (created) {
            pg.sql(names.maintenance(), "drop database if exists " + ident(names.restored()) + " with (force)");
            done.add("dropped the half-made " + names.restored());
        }
        List<String> unhealthy = new ArrayList<>();
        for (String name : List.copyOf(stopped)) {
            dependents.start(name);
        }
        for (String name : List.copyOf(stopped)) {
            try {
                done.add("started " + dependents.awaitHealthy(name).replace(" healthy", ", healthy"));
            } catch (UserError e) {
                unhealthy.add(e.getMessage());
            }
        }
        putBack = true;
        saveQuietly();
        if (dumped) {
            done.add("the dump " + names.dumpFile().getFileName() + " is kept");
        }
        if (!unhealthy.isEmpty()) {
            throw new StepFailure(String.join("; ", done) + "; but " + String.join("; ", unhealthy) + ": a person must look now");
        }
        return String.join("; ", done);
    }

    /** Undoes the swap when it happened (or may have): the restored data out, the data from before back under the live name. */
    private String swappedBack(List<String> stoppedNow) throws InterruptedException {
        if (liveMissing) {
            if (exists(names.live()) && !exists(names.restored())) {
                renameOnly(names.live(), names.restored());
            }
            swapped = false;
            saveQuietly();
            figures = Optional.empty();
            return names.live() + " is missing again, as before the restore";
        }
        boolean keptExists = exists(names.kept());
        if (!keptExists) {
            return names.live() + " was not renamed (the swap did not happen): it is live as it was";
        }
        String ended = renames(names.live(), names.restored(), names.kept(), names.live());
        swapped = false;
        saveQuietly();
        figures = Optional.empty();
        return (stoppedNow.isEmpty() ? "" : "stopped " + String.join(", ", stoppedNow) + "; ") + ended + "; " + names.kept()
                + " is live again as " + names.live();
    }

    /** Ends the sessions on {@code a} and renames a to b and c to d in one transaction, again while sessions linger. */
    private String renames(String a, String b, String c, String dName) throws InterruptedException {
        int[] terminated = {0};
        var o = new dev.rollbackbot.health.Poll(clock, Duration.ofMillis(20), Duration.ofMillis(200)).until(SWAP_WITHIN, () -> {
            terminated[0] += Integer.parseInt(pg.sql(names.maintenance(), "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where datname in (" + literal(a) + ", " + literal(c) + ") and pid <> pg_backend_pid()").strip());
            try {
                pg.transaction(names.maintenance(), "alter database " + ident(a) + " rename to " + ident(b), "alter database " + ident(c)
                        + " rename to " + ident(dName));
                return dev.rollbackbot.health.Poll.Attempt.done(true);
            } catch (StepFailure e) {
                if (!e.getMessage().contains("being accessed by other users")) {
                    throw new StepFailure("the renames failed, so " + a + " is unchanged: " + e.getMessage());
                }
                return dev.rollbackbot.health.Poll.Attempt.notYet(e.getMessage());
            }
        });
        if (o.value().isEmpty()) {
            throw new StepFailure("sessions on " + a + " kept coming back for " + Durations.human(SWAP_WITHIN) + ", so the renames"
                    + " were not made and " + a + " is unchanged: " + o.lastSeen());
        }
        return "ended " + terminated[0] + " session(s) and renamed " + a + " to " + b + " and " + c + " to " + dName
                + (o.attempts() > 1 ? " (" + o.attempts() + " attempts)" : "");
    }

    private String renameOnly(String from, String to) {
        pg.sql(names.maintenance(), "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = " + literal(from)
                + " and pid <> pg_backend_pid()");
        pg.sql(names.maintenance(), "alter database " + ident(from) + " rename to " + ident(to));
        return "renamed " + from + " to " + to;
    }

    private boolean exists(String db) {
        return !pg.sql(names.maintenance(), "select 1 from pg_database where datname = " + literal(db)).isBlank();
    }

    private void refuseTaken(String db) {
        if (exists(db)) {
            throw new StepFailure("a database " + db + " exists already (from an earlier restore?), so nothing was changed. Rename or"
                    + " drop it, then request the restore again.");
        }
    }

    private long size() {
        try {
            return Files.size(names.dumpFile());
        } catch (IOException e) {
            return 0;
        }
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(names.dumpFile());
        } catch (IOException e) {
            log.warn("{}: could not remove the incomplete dump {}: {}", ref, names.dumpFile(), e.toString());
        }
    }

    @Override
    public String whereThingsStand() {
        if (committed || putBack || !(created || swapped)) {
            return "";
        }
        return swapped
                ? names.live() + " may hold the restored " + backupName + ", with the data from before kept as " + names.kept()
                        + ". To put it back by hand: end the sessions, then `alter database " + names.live() + " rename to "
                        + names.restored() + "; alter database " + names.kept() + " rename to " + names.live() + "`."
                : names.live() + " was not replaced; the half-made " + names.restored() + " may be left: drop it.";
    }

    @Override
    public String checkpoint() {
        return "dumped=" + dumped + ";liveMissing=" + liveMissing + ";created=" + created + ";swapped=" + swapped + ";committed=" + committed + ";putBack=" + putBack
                + ";stopped=" + String.join(",", stopped);
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    @Override
    public void resumeFrom(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        dumped = c.flag("dumped", dumped);
        liveMissing = c.flag("liveMissing", liveMissing);
        created = c.flag("created", created);
        swapped = c.flag("swapped", swapped);
        committed = c.flag("committed", committed);
        putBack = c.flag("putBack", putBack);
        if (c.has("stopped")) {
            stopped.clear();
            c.text("stopped").ifPresent(list -> {
                for (String s : list.split(",")) {
                    if (!s.isBlank()) {
                        stopped.add(s);
                    }
                }
            });
        }
    }

    private void save() {
        sink.saveOrStop(checkpoint(), "the restore of " + d.name());
    }

    private void saveQuietly() {
        sink.saveQuietly(checkpoint(), "the restore of " + d.name());
    }
}
