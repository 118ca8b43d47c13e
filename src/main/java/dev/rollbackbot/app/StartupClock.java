package dev.rollbackbot.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where start-up time went, phase by phase, from the JVM's start: logged once the bot is ready. */
final class StartupClock {
    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final List<String> phases = new ArrayList<>();
    private long last = jvmStartMillis;

    /** Marks the end of a phase. */
    synchronized void lap(String phase) {
        long now = System.currentTimeMillis();
        phases.add(String.format(Locale.ROOT, "%s %d ms", phase, now - last));
        last = now;
    }

    synchronized String summary() {
        return String.format(Locale.ROOT, "%d ms since the JVM started (%s)", System.currentTimeMillis() - jvmStartMillis,
                String.join(", ", phases));
    }
}
