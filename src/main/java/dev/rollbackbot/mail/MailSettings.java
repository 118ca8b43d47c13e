package dev.rollbackbot.mail;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SMTP for email pages, from the environment: {@code SMTP_HOST} (no host: emails are off), {@code SMTP_PORT}
 * (default 587 with STARTTLS required, else 25), {@code SMTP_USER}, {@code SMTP_PASSWORD}, {@code SMTP_FROM}
 * (default {@code rollback-bot@<host>}), {@code SMTP_STARTTLS} ({@code true}: required; unset: used when offered).
 */
public record MailSettings(String host, int port, Optional<String> user, Optional<String> password, String from,
        boolean requireStartTls) {

    /** The settings, or empty when {@code SMTP_HOST} is not set; problems are added to {@code problems}. */
    public static Optional<MailSettings> from(Map<String, String> env, List<String> problems) {
        Optional<String> host = opt(env, "SMTP_HOST");
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> tls = opt(env, "SMTP_STARTTLS");
        if (tls.isPresent() && !tls.get().equalsIgnoreCase("true") && !tls.get().equalsIgnoreCase("false")) {
            problems.add("SMTP_STARTTLS '" + tls.get() + "' must be true or false");
        }
        boolean require = tls.map(t -> t.equalsIgnoreCase("true")).orElse(false);
        int port = require ? 587 : 25;
        Optional<String> portText = opt(env, "SMTP_PORT");
        if (portText.isPresent()) {
            try {
                port = Integer.parseInt(portText.get());
                if (port < 1 || port > 65535) {
                    problems.add("SMTP_PORT " + port + " is out of range (1-65535)");
                }
            } catch (NumberFormatException e) {
                problems.add("SMTP_PORT '" + portText.get() + "' is not a number");
            }
        }
        return Optional.of(new MailSettings(host.get(), port, opt(env, "SMTP_USER"), opt(env, "SMTP_PASSWORD"),
                opt(env, "SMTP_FROM").orElse("rollback-bot@" + host.get()), require));
    }

    private static Optional<String> opt(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    @Override
    public String toString() {
        return "SMTP " + host + ":" + port + user.map(u -> " as " + u).orElse("") + (requireStartTls ? " (STARTTLS required)" : "");
    }
}
