package dev.rollbackbot.data;

import dev.rollbackbot.rollback.Checkpoint;
import dev.rollbackbot.rollback.CheckpointSink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How far one restore of a PostgreSQL datastore got: the flags and stopped services saved as its checkpoint (before
 * each destructive step, and after it) and read back by the replica that takes a run over.
 */
final class PgRestoreState {
    private final String what;

    volatile boolean dumped;
    /** The live database did not exist (an emergency: dropped by a bad migration): nothing to keep, one rename. */
    volatile boolean liveMissing;
    volatile boolean created;
    volatile boolean swapped;
    volatile boolean committed;
    volatile boolean putBack;
    final List<String> stopped = new CopyOnWriteArrayList<>();
    /** The restore's figures once the swap is made; not part of the checkpoint. */
    volatile Optional<DataRestores.Figures> figures = Optional.empty();
    private volatile CheckpointSink sink = CheckpointSink.NONE;

    /** @param what the run, as the checkpoint's warnings name it ("the restore of orders-db") */
    PgRestoreState(String what) {
        this.what = what;
    }

    String checkpoint() {
        return "dumped=" + dumped + ";liveMissing=" + liveMissing + ";created=" + created + ";swapped=" + swapped + ";committed=" + committed + ";putBack=" + putBack
                + ";stopped=" + String.join(",", stopped);
    }

    void checkpointTo(CheckpointSink sink) {
        this.sink = sink;
    }

    void resumeFrom(String checkpoint) {
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

    /** Saves before a change; stops the step when this replica lost its lease. */
    void save() {
        sink.saveOrStop(checkpoint(), what);
    }

    /** Saves when it can, and goes on either way. */
    void saveQuietly() {
        sink.saveQuietly(checkpoint(), what);
    }
}
