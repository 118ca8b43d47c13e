package dev.rollbackbot.timers;

import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * Durable one-shot timers, keyed by a kind ({@code page}, {@code expire}) and an id: time behind an interface, so
 * the escalation logic can be tested with a fake that advances by hours ({@code FakeTimers}), and runs on Quartz in
 * the bot ({@link QuartzTimers}).
 */
public interface Timers extends AutoCloseable {
    /** Registers what a timer of {@code kind} does when it fires, before the timers start. */
    void on(String kind, LongConsumer handler);

    /** Fires {@code kind}'s handler with {@code id} at {@code due} (at once if that has passed), replacing an earlier one. */
    void at(String kind, long id, Instant due);

    void cancel(String kind, long id);

    @Override
    void close();
}
