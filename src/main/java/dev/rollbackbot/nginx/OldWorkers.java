package dev.rollbackbot.nginx;

import dev.rollbackbot.health.Poll;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waiting out nginx's old workers after {@code nginx -s reload}: the signal is asynchronous and old workers go on
 * serving the old config for a moment, so a health check right after the command could be answered by the colour just
 * left.
 */
final class OldWorkers {
    static final Duration WAIT = Duration.ofSeconds(30);

    private OldWorkers() {
    }

    /** {@code reload} once {@code stillAlive} counts none of the old workers (or, after {@link #WAIT}, with a note). */
    static Nginx.Result awaitGone(Nginx.Result reload, LongSupplier stillAlive) {
        if (!reload.ok()) {
            return reload;
        }
        try {
            Poll.Outcome<Boolean> o = new Poll(Clock.systemUTC(), Duration.ofMillis(5), Duration.ofMillis(100)).until(WAIT, () -> {
                long alive = stillAlive.getAsLong();
                return alive == 0 ? Poll.Attempt.done(true) : Poll.Attempt.notYet(alive + " old worker(s) still serving");
            });
            if (o.value().isEmpty()) {
                return new Nginx.Result(0, reload.output() + " (" + o.lastSeen() + " after " + WAIT.toSeconds() + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reload;
    }
}
