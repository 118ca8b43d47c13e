package dev.rollbackbot.docker;

import dev.rollbackbot.rollback.Checkpoint;

/**
 * Where a container swap stands, as its checkpoint holds it: the old container and the replacement (by id), the
 * container the replacement's settings were copied from, and how far the swap got. A replica that takes a silent run
 * over reads it back ({@link #read}); the preparation's checkpoint holds only the replacement ({@link #readPrepared}).
 */
final class SwapState {
    volatile String oldId;
    volatile String newId;
    /** The container whose settings the replacement was copied from. */
    volatile String template;
    /** The old container may have been stopped or renamed: whoever ends the run must put it back. */
    volatile boolean touched;
    volatile boolean started;
    /** The old container is called by the kept name and the replacement by the service's. */
    volatile boolean renamed;
    volatile boolean committed;
    volatile boolean restored;

    String checkpoint() {
        return "old=" + nz(oldId) + ";new=" + nz(newId) + ";template=" + nz(template) + ";touched=" + touched + ";started="
                + started + ";renamed=" + renamed + ";committed=" + committed + ";restored=" + restored;
    }

    /** True when {@code c} is more than a preparation's checkpoint (the swap itself had begun). */
    static boolean beyondPreparation(Checkpoint c) {
        return c.text("old").isPresent() || c.flag("touched", false) || c.flag("started", false) || c.flag("committed", false)
                || c.flag("restored", false);
    }

    void readPrepared(Checkpoint c) {
        newId = c.text("new").orElse(newId);
        template = c.text("template").orElse(template);
    }

    void read(Checkpoint c) {
        oldId = c.has("old") ? c.text("old").orElse(null) : oldId;
        newId = c.has("new") ? c.text("new").orElse(null) : newId;
        template = c.has("template") ? c.text("template").orElse(null) : template;
        touched = c.flag("touched", touched);
        started = c.flag("started", started);
        renamed = c.flag("renamed", renamed);
        committed = c.flag("committed", committed);
        restored = c.flag("restored", restored);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
