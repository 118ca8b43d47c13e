package dev.rollbackbot.app;

import java.time.Clock;
import java.time.Duration;

/** Settings of a running bot that are not user configuration: time, and how long shutdown may take. */
public record Options(Clock clock, Duration shutdownGrace, Duration expiryCheck) {
    public static Options defaults() {
        // expiry runs on Quartz timers (one per pending request); this sweep is only a safety net
        return new Options(Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(1));
    }

    public Options withShutdownGrace(Duration grace) {
        return new Options(clock, grace, expiryCheck);
    }
}
