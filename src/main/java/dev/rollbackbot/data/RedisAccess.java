package dev.rollbackbot.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a Redis restore does to one Redis: ask it, save it, stop and start it, and move RDB files in its data folder.
 * Inside its container through the engine (exec and the archive API), or a Redis on the bot's host.
 */
public interface RedisAccess {
    /** DBSIZE, or empty when Redis does not answer. */
    Optional<Long> dbsize();

    /** SAVE: the current data into the RDB file, so the copy kept before a restore holds it. */
    void save();

    void stop();

    void start();

    /** Polls for PONG within {@code within}; what was seen, or a failure naming what Redis said. */
    String awaitPong(java.time.Duration within) throws InterruptedException;

    /** Copies the data folder's {@code name} to {@code local}; false when there is no such file. */
    boolean read(String name, Path local);

    /** Writes {@code local} into the data folder as {@code name}. */
    void write(Path local, String name);

    /** The data folder, for messages: {@code container redis-prod:/data}. */
    String describe();
}
