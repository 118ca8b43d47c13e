package dev.rollbackbot.app;

import dev.rollbackbot.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime contract's environment variables, checked. Secrets come only from here, never from the config file.
 * With neither {@code SLACK_BOT_TOKEN} nor {@code SLACK_APP_TOKEN} the bot runs in console mode: Slack's side is played
 * by the local console ({@code dev.rollbackbot.console}), with a signing secret and bot token made up for this process.
 */
public record Environment(
        boolean console,
        Optional<String> signingSecret,
        String botToken,
        Optional<String> appToken,
        String slackApiUrl,
        int port,
        Path configFile,
        String databaseUrl,
        Optional<String> databaseUser,
        Optional<String> databasePassword,
        Optional<String> dockerHost,
        java.time.Duration shutdownGrace,
        Optional<dev.rollbackbot.mail.MailSettings> mail,
        Optional<String> kubeconfig,
        Map<String, String> secretsByName) {

    public static final String DEFAULT_SLACK_API_URL = "https://slack.com/api/";

    public boolean socketMode() {
        return appToken.isPresent();
    }

    public static Environment from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Optional<String> appToken = opt(env, "SLACK_APP_TOKEN");
        Optional<String> secret = opt(env, "SLACK_SIGNING_SECRET");
        Optional<String> token = opt(env, "SLACK_BOT_TOKEN");
        boolean console = token.isEmpty() && appToken.isEmpty();
        if (console) {
            // made up per process: nothing outside it can sign a request the bot accepts, or call the console's Web API
            secret = Optional.of(randomHex());
            token = Optional.of("xoxb-console-" + randomHex());
        }
        if (token.isEmpty()) {
            problems.add("SLACK_BOT_TOKEN is not set: give the bot token (xoxb-...) from the Slack app's OAuth page");
        }
        if (secret.isEmpty() && appToken.isEmpty()) {
            problems.add("SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests"
                    + " (or set SLACK_APP_TOKEN for Socket Mode)");
        }
        if (appToken.isPresent() && !appToken.get().startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN must be an app-level token (xapp-...) with connections:write");
        }
        String apiUrl = opt(env, "SLACK_API_URL").orElse(DEFAULT_SLACK_API_URL);
        if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
            problems.add("SLACK_API_URL '" + apiUrl + "' is not an http(s) URL");
        }
        if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        int port = 3000;
        Optional<String> portText = opt(env, "PORT");
        if (portText.isPresent()) {
            try {
                port = Integer.parseInt(portText.get());
                if (port < 0 || port > 65535) {
                    problems.add("PORT " + port + " is out of range (0-65535)");
                }
            } catch (NumberFormatException e) {
                problems.add("PORT '" + portText.get() + "' is not a number");
            }
        }
        java.time.Duration grace = java.time.Duration.ofSeconds(10);
        Optional<String> graceText = opt(env, "SHUTDOWN_GRACE");
        if (graceText.isPresent()) {
            Optional<java.time.Duration> d = dev.rollbackbot.config.Durations.parse(graceText.get());
            if (d.isEmpty()) {
                problems.add("SHUTDOWN_GRACE '" + graceText.get() + "' is not a duration such as 25s or 2m");
            } else {
                grace = d.get();
            }
        }
        Optional<dev.rollbackbot.mail.MailSettings> mail = dev.rollbackbot.mail.MailSettings.from(env, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("environment: " + String.join("; ", problems));
        }
        return new Environment(console, secret, token.get(), appToken, apiUrl, port,
                Path.of(opt(env, "ROLLBACK_BOT_CONFIG").orElse("config/rollback-bot.yml")),
                opt(env, "DATABASE_URL").orElse(Database.DEFAULT_URL), opt(env, "DATABASE_USER"), opt(env, "DATABASE_PASSWORD"),
                opt(env, "DOCKER_HOST"), grace, mail, opt(env, "KUBECONFIG"), passwords(env));
    }

    /**
     * A datastore's password: {@code <DATASTORE>_PASSWORD}, its name upper-cased with {@code -} and {@code .} as
     * {@code _} ({@code DB_PROD_PASSWORD} for {@code db-prod}).
     */
    public Optional<String> datastorePassword(String datastore) {
        return Optional.ofNullable(secretsByName.get(passwordVariable(datastore)));
    }

    public static String passwordVariable(String datastore) {
        return datastore.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_') + "_PASSWORD";
    }

    /** Every {@code *_PASSWORD} variable that is set: the datastores' passwords are among them. */
    private static Map<String, String> passwords(Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>();
        env.forEach((k, v) -> {
            if (k.endsWith("_PASSWORD") && v != null && !v.isEmpty()) {
                out.put(k, v);
            }
        });
        return Map.copyOf(out);
    }

    @Override
    public String toString() {
        return "Environment[port=" + port + ", database=" + databaseUrl + ", secrets hidden]";
    }

    private static String randomHex() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static Optional<String> opt(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
