package dev.rollbackbot.validation;

/** The runbook's six post-rollback checks ({@code rollback-validation.sh}), each with its metric label. */
public enum Check {
    HEALTH("health", "health URL answers 200"),
    POSTGRES("postgres", "PostgreSQL accepts connections"),
    REDIS("redis", "Redis answers PONG"),
    ENDPOINTS("endpoints", "every endpoint answers 200"),
    RESPONSE_TIME("response_time", "health URL answers within max-response-time"),
    MIN_TABLES("min_tables", "at least min-tables tables");

    private final String label;
    private final String title;

    Check(String label, String title) {
        this.label = label;
        this.title = title;
    }

    /** {@code response_time}: the {@code check} tag of {@code rollback_validation_checks_total}. */
    public String label() {
        return label;
    }

    /** What the check asks, for people. */
    public String title() {
        return title;
    }
}
