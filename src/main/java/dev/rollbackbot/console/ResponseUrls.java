package dev.rollbackbot.console;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code response_url}s the console hands out with each command and click: each remembers who acted, where, and
 * on which message, so that the bot's answer there is shown to that person only (or replaces that message).
 */
final class ResponseUrls {
    /** Where an answer to one request goes. */
    record Target(String user, String channel, String messageTs) {
    }

    private final String base;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    ResponseUrls(String base) {
        this.base = base;
    }

    String create(String user, String channel, String messageTs) {
        String id = UUID.randomUUID().toString();
        targets.put(id, new Target(user, channel, messageTs));
        return base + "/console/response/" + id;
    }

    Optional<Target> target(String id) {
        return Optional.ofNullable(targets.get(id));
    }
}
