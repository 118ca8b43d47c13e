package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The put-back of a PostgreSQL restore that failed or was interrupted, on this replica or on the one that took the run
 * over from its checkpoint: the live database renamed back if the swap happened (or may have), the half-made database
 * dropped, what was stopped started again. Also says, for the record, where things stand.
 */
final class PgPutBack {
    private final DatastoreConfig d;
    private final String backupName;
    private final PgNames names;
    private final PgRestoreState state;
    private final PgDatabases dbs;
    private final PgLiveDump dump;
    private final Dependents dependents;

    PgPutBack(DatastoreConfig d, String backupName, PgNames names, PgRestoreState state, PgDatabases dbs, PgLiveDump dump,
            Dependents dependents) {
        this.d = d;
        this.backupName = backupName;
        this.names = names;
        this.state = state;
        this.dbs = dbs;
        this.dump = dump;
        this.dependents = dependents;
    }

    /** The put-back step, unless the restore was committed or already put back. */
    Optional<Step> step() {
        if (state.committed || state.putBack) {
            return Optional.empty();
        }
        return Optional.of(Step.of("Put " + d.name() + " back as it was: live " + names.live() + " untouched or renamed back, drop "
                + names.restored() + ", start what was stopped", true, this::putBack));
    }

    private String putBack() throws InterruptedException {
        List<String> done = new ArrayList<>();
        dump.awaitFailure().ifPresent(done::add);
        if (state.swapped) {
            List<String> more = dependents.stopRunning(dependents.of(d.name()), name -> {
                if (!state.stopped.contains(name)) {
                    state.stopped.add(name);
                }
            });
            done.add(swappedBack(more));
        } else {
            done.add(names.live() + " was never replaced: it is live as it was");
        }
        if (state.created) {
            dbs.drop(names.restored());
            done.add("dropped the half-made " + names.restored());
        }
        List<String> unhealthy = new ArrayList<>();
        for (String name : List.copyOf(state.stopped)) {
            dependents.start(name);
        }
        for (String name : List.copyOf(state.stopped)) {
            try {
                done.add("started " + dependents.awaitHealthy(name).replace(" healthy", ", healthy"));
            } catch (UserError e) {
                unhealthy.add(e.getMessage());
            }
        }
        state.putBack = true;
        state.saveQuietly();
        if (state.dumped) {
            done.add("the dump " + names.dumpFile().getFileName() + " is kept");
        }
        if (!unhealthy.isEmpty()) {
            throw new StepFailure(String.join("; ", done) + "; but " + String.join("; ", unhealthy) + ": a person must look now");
        }
        return String.join("; ", done);
    }

    /** Undoes the swap when it happened (or may have): the restored data out, the data from before back under the live name. */
    private String swappedBack(List<String> stoppedNow) throws InterruptedException {
        if (state.liveMissing) {
            if (dbs.exists(names.live()) && !dbs.exists(names.restored())) {
                dbs.renameOnly(names.live(), names.restored());
            }
            state.swapped = false;
            state.saveQuietly();
            state.figures = Optional.empty();
            return names.live() + " is missing again, as before the restore";
        }
        boolean keptExists = dbs.exists(names.kept());
        if (!keptExists) {
            return names.live() + " was not renamed (the swap did not happen): it is live as it was";
        }
        String ended = dbs.renames(names.live(), names.restored(), names.kept(), names.live());
        state.swapped = false;
        state.saveQuietly();
        state.figures = Optional.empty();
        return (stoppedNow.isEmpty() ? "" : "stopped " + String.join(", ", stoppedNow) + "; ") + ended + "; " + names.kept()
                + " is live again as " + names.live();
    }

    /** Where things stand, for the record of an interrupted run: what may be live, what to do by hand. */
    String whereThingsStand() {
        if (state.committed || state.putBack || !(state.created || state.swapped)) {
            return "";
        }
        return state.swapped
                ? names.live() + " may hold the restored " + backupName + ", with the data from before kept as " + names.kept()
                        + ". To put it back by hand: end the sessions, then `alter database " + names.live() + " rename to "
                        + names.restored() + "; alter database " + names.kept() + " rename to " + names.live() + "`."
                : names.live() + " was not replaced; the half-made " + names.restored() + " may be left: drop it.";
    }
}
