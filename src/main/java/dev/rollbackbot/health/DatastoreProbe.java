package dev.rollbackbot.health;

import dev.rollbackbot.config.DatastoreConfig;

/** Asks a datastore whether it serves: PostgreSQL accepts connections, Redis answers PONG. */
public interface DatastoreProbe {
    /** The answer: ok, and what was seen (for the thread and the timeline). */
    record Answer(boolean ok, String seen) {
    }

    Answer check(DatastoreConfig datastore);
}
