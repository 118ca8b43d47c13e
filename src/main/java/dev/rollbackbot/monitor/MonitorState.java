package dev.rollbackbot.monitor;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the health monitor stands with one service, changed only by the transitions below (no I/O, no clock of its
 * own): the failures in a row that count, when the streak began, the start period, and whether it already acted on
 * this streak.
 */
public record MonitorState(Phase phase, int failures, Optional<Instant> firstFailure, Instant startPeriodEnds,
        Optional<String> instance, boolean acted, Optional<Long> pausedBy, Optional<Instant> lastCheck, String lastResult,
        Optional<String> note, Optional<Downtime> downtime) {

    /** The incident the monitor opened for a streak, and when that streak's first failed check was. */
    public record Downtime(long incident, Instant since) {
    }

    public enum Phase {
        /** Not checked yet. */
        WAITING,
        /** Failures are not counted: the service (re)started less than start-period ago. */
        STARTING,
        HEALTHY,
        FAILING,
        /** A rollback of the service is pending or running: no checks until it ends. */
        PAUSED
    }

    /** Before the first check: the start period runs from when the monitor began watching. */
    public static MonitorState begin(Instant now, java.time.Duration startPeriod) {
        return new MonitorState(Phase.WAITING, 0, Optional.empty(), now.plus(startPeriod), Optional.empty(), false,
                Optional.empty(), Optional.empty(), "", Optional.empty(), Optional.empty());
    }

    /** A rollback holds the service: the streak is over; the service restarts when it ends. */
    public MonitorState paused(long incident) {
        return new MonitorState(Phase.PAUSED, 0, Optional.empty(), startPeriodEnds, instance, false, Optional.of(incident),
                lastCheck, lastResult, note, downtime);
    }

    /**
     * The instance seen now: after a rollback that held the service, or when the instance changed (a deploy, a
     * recreated container), failures are ignored for {@code startPeriod} from now.
     */
    public MonitorState observe(Optional<String> seen, Instant now, java.time.Duration startPeriod) {
        // the first sight of the service counts as its start: the monitor cannot know when it started before
        boolean first = phase == Phase.WAITING && instance.isEmpty() && seen.isPresent();
        boolean restarted = first || pausedBy.isPresent() || (instance.isPresent() && seen.isPresent() && !instance.equals(seen));
        if (!restarted) {
            return new MonitorState(phase, failures, firstFailure, startPeriodEnds, seen.isPresent() ? seen : instance, acted,
                    pausedBy, lastCheck, lastResult, note, downtime);
        }
        return new MonitorState(Phase.STARTING, 0, Optional.empty(), now.plus(startPeriod), seen.isPresent() ? seen : instance,
                false, Optional.empty(), lastCheck, lastResult, Optional.empty(), downtime);
    }

    /** A 200: the streak and the start period end. */
    public MonitorState healthy(Instant now, String result) {
        return new MonitorState(Phase.HEALTHY, 0, Optional.empty(), now.isBefore(startPeriodEnds) ? now : startPeriodEnds,
                instance, false, Optional.empty(), Optional.of(now), result, Optional.empty(), Optional.empty());
    }

    /** A failed check: counted unless within the start period. */
    public MonitorState failed(Instant now, String result) {
        if (now.isBefore(startPeriodEnds)) {
            return new MonitorState(Phase.STARTING, 0, Optional.empty(), startPeriodEnds, instance, acted, Optional.empty(),
                    Optional.of(now), result, note, downtime);
        }
        return new MonitorState(Phase.FAILING, failures + 1, Optional.of(firstFailure.orElse(now)), startPeriodEnds, instance,
                acted, Optional.empty(), Optional.of(now), result, note, downtime);
    }

    /** True once {@code retries} failures in a row counted and nothing was done about this streak yet. */
    public boolean due(int retries) {
        return phase == Phase.FAILING && failures >= retries && !acted;
    }

    /** What was done about this streak (an incident opened, an escalation, or why neither): once per streak. */
    public MonitorState actedOn(String what) {
        return new MonitorState(phase, failures, firstFailure, startPeriodEnds, instance, true, pausedBy, lastCheck, lastResult,
                Optional.of(what), downtime);
    }

    /** The streak led to {@code incident}: its downtime runs from the streak's first failed check until a healthy one. */
    public MonitorState down(long incident) {
        return new MonitorState(phase, failures, firstFailure, startPeriodEnds, instance, acted, pausedBy, lastCheck, lastResult,
                note, Optional.of(new Downtime(incident, firstFailure.orElseThrow())));
    }
}
