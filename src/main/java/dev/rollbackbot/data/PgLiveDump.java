package dev.rollbackbot.data;

import dev.rollbackbot.rollback.StepFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dump of the live database into the backups folder, made alongside the restore into the new database (it only
 * reads the live one) and proven complete before anything is swapped.
 */
final class PgLiveDump {
    /** The restore's own logger: its log lines are the restore's. */
    private static final Logger log = LoggerFactory.getLogger(PgRestoreRun.class);

    private final PgClient pg;
    private final PgNames names;
    private final PgRestoreState state;
    private final String ref;
    private volatile CompletableFuture<String> dump;

    PgLiveDump(PgClient pg, PgNames names, PgRestoreState state, String ref) {
        this.pg = pg;
        this.names = names;
        this.state = state;
        this.ref = ref;
    }

    /** Starts the dump in its own thread. */
    void start() {
        dump = CompletableFuture.supplyAsync(this::dumpAndCheck, runInOwnThread());
    }

    private static Executor runInOwnThread() {
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
        state.dumped = true;
        return "kept the live data as " + names.dumpFile() + " (" + Sizes.human(dumped.sqlBytes()) + " of SQL, " + Sizes.human(size())
                + " gzipped, complete)";
    }

    /** Waits for the dump of the live data; a dump that failed stops the restore before anything is swapped. */
    String await() throws InterruptedException {
        if (dump == null) {
            return state.liveMissing ? "" : "no dump of the live data was made";
        }
        try {
            String done = dump.get();
            state.saveQuietly();
            return done;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new StepFailure((c == null ? e : c).getMessage() + ", so nothing was swapped; " + names.live() + " is untouched");
        }
    }

    /**
     * For the put-back: lets a dump still running end (it reads the live database only) before reporting; what went
     * wrong with it, if it failed.
     */
    Optional<String> awaitFailure() throws InterruptedException {
        if (dump != null) {
            try {
                dump.get();
            } catch (ExecutionException e) {
                return Optional.of("the dump of the live data failed too (" + e.getCause().getMessage() + ")");
            }
        }
        return Optional.empty();
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
}
