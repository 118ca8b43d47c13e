package dev.rollbackbot.config;

import java.time.Duration;
import java.util.List;

/** One level of the escalation matrix: who is paged and how long they have to acknowledge. */
public record EscalationLevel(String name, String role, List<String> page, List<String> email, Duration respondWithin) {
    public EscalationLevel {
        page = List.copyOf(page);
        email = List.copyOf(email);
    }

    /** The runbook's matrix, used when the configuration has no escalation section. */
    public static List<EscalationLevel> runbookDefaults() {
        return List.of(
                new EscalationLevel("L1", "DevOps Engineer", List.of(), List.of("devops@company.com"), Duration.ofMinutes(15)),
                new EscalationLevel("L2", "Technical Lead", List.of(), List.of("tech-lead@company.com"), Duration.ofMinutes(30)),
                new EscalationLevel("L3", "Engineering Manager", List.of(), List.of("eng-manager@company.com"), Duration.ofHours(1)),
                new EscalationLevel("L4", "CTO", List.of(), List.of("cto@company.com"), Duration.ofHours(2)));
    }
}
