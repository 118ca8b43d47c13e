package dev.rollbackbot.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One typed entry of an incident's timeline. The same value is stored and reported to Slack, so the thread and
 * the record never disagree. Step events carry the step's number and title; step ends their duration.
 */
public record TimelineEvent(
        long incidentId,
        Instant at,
        EventType type,
        Optional<String> actor,
        Optional<Integer> stepNo,
        Optional<String> stepTitle,
        Optional<Duration> duration,
        Optional<String> detail) {

    public static TimelineEvent of(long incidentId, Instant at, EventType type, String actor, String detail) {
        return new TimelineEvent(incidentId, at, type, Optional.ofNullable(actor), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(detail));
    }

    public static TimelineEvent step(long incidentId, Instant at, EventType type, int no, String title,
            Duration duration, String detail) {
        return new TimelineEvent(incidentId, at, type, Optional.empty(), Optional.of(no), Optional.of(title),
                Optional.ofNullable(duration), Optional.ofNullable(detail));
    }
}
