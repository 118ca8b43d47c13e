package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import dev.rollbackbot.rollback.Recovery;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore of a Redis datastore: save and count, stop, keep the current {@code dump.rdb} as
 * {@code dump.rdb.pre-inc-<n>}, put the (decompressed) backup in place, start, wait for PONG, count again. A backup
 * Redis refuses to load puts the kept file back and starts Redis again.
 */
final class RedisRestoreRun implements Recovery {
    private static final Logger log = LoggerFactory.getLogger(RedisRestoreRun.class);
    static final String RDB = "dump.rdb";
    private static final Duration PONG_WITHIN = Duration.ofSeconds(30);

    private final DatastoreConfig d;
    private final Incident inc;
    private final RedisAccess redis;
    private final BackupFolder folder;
    private final DataRestores figuresStore;
    private final Clock clock;
    private final String backupName;
    private final String approvedSha;
    private final String kept;

    private volatile Optional<Long> before = Optional.empty();
    private volatile boolean stopped;
    private volatile boolean keptOld;
    private volatile boolean hadOld;
    private volatile boolean replaced;
    private volatile boolean committed;
    private volatile boolean putBack;
    private volatile Instant startedAt;
    private volatile Optional<DataRestores.Figures> figures = Optional.empty();
    private volatile CheckpointSink sink = CheckpointSink.NONE;

    RedisRestoreRun(DatastoreConfig d, Incident inc, RedisAccess redis, BackupFolder folder, DataRestores figuresStore, Clock clock) {
        this.d = d;
        this.inc = inc;
        this.redis = redis;
        this.folder = folder;
        this.figuresStore = figuresStore;
        this.clock = clock;
        this.backupName = inc.toVersion().orElseThrow();
        this.approvedSha = inc.toPin().orElseThrow().value();
        this.kept = RDB + ".pre-" + inc.ref().toLowerCase(Locale.ROOT);
    }

    String kept() {
        return kept;
    }

    /** Step: DBSIZE and SAVE while Redis answers, then stop it and keep the current RDB. */
    String stopAndKeep() throws IOException {
        startedAt = clock.instant();
        before = redis.dbsize();
        if (before.isPresent()) {
            redis.save();
        }
        stopped = true;
        save();
        try {
            redis.stop();
        } catch (StepFailure e) {
            if (redis.dbsize().isPresent()) {
                stopped = false; // refused before it stopped anything: there is nothing to put back
                saveQuietly();
            }
            throw e;
        }
        Path tmp = Files.createTempFile("rollback-bot-rdb", ".rdb");
        try {
            hadOld = redis.read(RDB, tmp);
            if (hadOld) {
                save();
                redis.write(tmp, kept);
                keptOld = true;
                saveQuietly();
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return before.map(n -> "DBSIZE " + n + ", saved; ").orElse("Redis did not answer, so nothing was saved first; ") + "stopped; "
                + (hadOld ? "kept the current " + RDB + " as " + kept : "there was no " + RDB + " to keep") + " in " + redis.describe();
    }

    /** Step: the backup, decompressed and checked against the approved checksum, in place of dump.rdb. */
    String putInPlace() throws IOException {
        Backup b = folder.resolve(d, backupName);
        if (!Checksums.sha256(b.path()).equals(approvedSha)) {
            throw new StepFailure(backupName + " changed since the restore was approved, so it was not used. Request the restore again.");
        }
        Path tmp = Files.createTempFile("rollback-bot-rdb", ".rdb");
        try {
            try (InputStream in = b.format().gzipped() ? new GZIPInputStream(Files.newInputStream(b.path()), 1 << 16)
                    : Files.newInputStream(b.path())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new StepFailure("cannot read the backup " + backupName + " to its end (" + e.getMessage() + "), so it was not put in place");
            }
            save();
            replaced = true;
            redis.write(tmp, RDB);
            return "put " + backupName + " (" + Sizes.human(Files.size(tmp)) + ") in place as " + RDB + " in " + redis.describe();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Step: start, PONG, DBSIZE. */
    String startAndCheck() throws InterruptedException {
        redis.start();
        String pong = redis.awaitPong(PONG_WITHIN);
        Optional<Long> after = redis.dbsize();
        Instant at = clock.instant();
        committed = true;
        saveQuietly();
        Backup b = folder.resolve(d, backupName);
        var f = new DataRestores.Figures(inc.id(), d.name(), backupName, b.takenAt(), at, Duration.between(startedAt == null ? at : startedAt, at));
        figures = Optional.of(f);
        try {
            figuresStore.record(f);
        } catch (RuntimeException e) {
            log.warn("{}: could not record the restore's figures: {}", inc.ref(), e.toString());
        }
        return pong + "; DBSIZE " + before.map(String::valueOf).orElse("?") + " before, " + after.map(String::valueOf).orElse("?") + " after";
    }

    String figures() {
        return figures.map(f -> "data-loss window " + Durations.human(f.dataLossWindow()) + " (" + f.backup() + " taken "
                + f.backupAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "); restore took " + Durations.human(f.took()))
                .orElse("");
    }

    @Override
    public Optional<Step> afterFailure() {
        if (committed || putBack || !stopped) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put the previous " + RDB + " back in " + redis.describe() + " and start Redis", true, this::putBack));
    }

    @Override
    public Optional<Step> afterInterruption() {
        return afterFailure();
    }

    private String putBack() throws InterruptedException, IOException {
        StringBuilder done = new StringBuilder();
        if (replaced) {
            redis.stop();
            if (keptOld) {
                Path tmp = Files.createTempFile("rollback-bot-rdb", ".rdb");
                try {
                    if (!redis.read(kept, tmp)) {
                        throw new StepFailure("the kept " + kept + " is gone from " + redis.describe() + ": a person must look now");
                    }
                    redis.write(tmp, RDB);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                done.append("put the kept ").append(kept).append(" back as ").append(RDB).append("; ");
            } else {
                done.append("there was no ").append(RDB).append(" before, and the restored one cannot be removed through the archive API:"
                        + " Redis starts with the backup's file; ");
            }
        } else {
            done.append(RDB).append(" was not replaced; ");
        }
        redis.start();
        String pong = redis.awaitPong(PONG_WITHIN);
        Optional<Long> now = redis.dbsize();
        putBack = true;
        saveQuietly();
        return done + "started Redis: " + pong + "; DBSIZE " + now.map(String::valueOf).orElse("?") + " (" + before.map(String::valueOf)
                .orElse("?") + " before the restore)";
    }

    @Override
    public String whereThingsStand() {
        if (committed || putBack || !stopped) {
            return "";
        }
        return "Redis (" + redis.describe() + ") may be stopped or hold " + backupName + "; the previous " + RDB + " is kept as " + kept
                + ". To put it back by hand: stop Redis, copy " + kept + " over " + RDB + ", start it.";
    }

    @Override
    public String checkpoint() {
        return "stopped=" + stopped + ";keptOld=" + keptOld + ";replaced=" + replaced + ";committed=" + committed + ";putBack=" + putBack;
    }

    @Override
    public void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    @Override
    public void resumeFrom(String checkpoint) {
        Checkpoint c = Checkpoint.parse(checkpoint);
        stopped = c.flag("stopped", stopped);
        keptOld = c.flag("keptOld", keptOld);
        replaced = c.flag("replaced", replaced);
        committed = c.flag("committed", committed);
        putBack = c.flag("putBack", putBack);
    }

    private void save() {
        sink.saveOrStop(checkpoint(), "the restore of " + d.name());
    }

    private void saveQuietly() {
        sink.saveQuietly(checkpoint(), "the restore of " + d.name());
    }
}
