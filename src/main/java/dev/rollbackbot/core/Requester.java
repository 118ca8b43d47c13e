package dev.rollbackbot.core;

import java.util.Objects;

/**
 * Who opened an incident: a person (a Slack user id) or something that acts on its own, such as the health monitor.
 * A requester that is not a person can never approve, deny or cancel anything.
 */
public record Requester(Kind kind, String id) {
    public enum Kind {
        PERSON,
        MONITOR,
        DRILL,
        DEPLOY
    }

    public Requester {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Requester person(String userId) {
        return new Requester(Kind.PERSON, userId);
    }

    public static Requester monitor(String name) {
        return new Requester(Kind.MONITOR, name);
    }

    public boolean isPerson() {
        return kind == Kind.PERSON;
    }

    /** True when {@code userId} is this requester (a person with that id). */
    public boolean is(String userId) {
        return isPerson() && id.equals(userId);
    }

    /** Plain text for logs and records: {@code @U0DEV} or {@code the health monitor}. */
    public String plain() {
        return switch (kind) {
            case PERSON -> "@" + id;
            case MONITOR -> "the health monitor (" + id + ")";
            case DRILL -> "a drill (" + id + ")";
            case DEPLOY -> "a deploy notification (" + id + ")";
        };
    }
}
