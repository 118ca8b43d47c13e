package dev.rollbackbot.console;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.EscalationLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who is in the console's workspace: the users and user groups named in {@code approvals} and {@code escalation},
 * plus a requester. A group is given one member of its own ({@code U} + the group's id), so that approving "as a
 * member of @oncall" goes through {@code usergroups.users.list} as it does in Slack.
 */
final class People {
    static final String REQUESTER = "U0YOU";
    static final String BOT = "U0BOT";

    /** Someone the page can act as, and why they are here. */
    record Person(String id, String name, String role) {
    }

    private final Map<String, Person> users = new LinkedHashMap<>();
    private final Map<String, String> groupNames = new LinkedHashMap<>();
    private final Map<String, List<String>> groupMembers = new LinkedHashMap<>();

    People(BotConfig config) {
        add(REQUESTER, "you (requester)", "asks for rollbacks");
        for (String id : config.approvals().approvers()) {
            add(id, "approver");
        }
        for (EscalationLevel level : config.escalation()) {
            for (String id : level.page()) {
                add(id, "escalation " + level.name() + " (" + level.role() + ")");
            }
        }
        users.put(BOT, new Person(BOT, "rollback-bot", "the bot"));
    }

    private void add(String id, String role) {
        if (id.startsWith("S")) {
            String name = nameOf(id);
            groupNames.putIfAbsent(id, name);
            String member = "U" + id;
            groupMembers.computeIfAbsent(id, g -> new ArrayList<>(List.of(member)));
            add(member, "a member of @" + name, role + " (through the group @" + name + ")");
        } else {
            add(id, nameOf(id), role);
        }
    }

    private void add(String id, String name, String role) {
        Person known = users.get(id);
        users.put(id, known == null ? new Person(id, name, role) : new Person(id, known.name(), known.role() + "; " + role));
    }

    /** A readable name from an id such as {@code U0LEAD}: {@code lead}. */
    private static String nameOf(String id) {
        String rest = id.replaceFirst("^[UWS]0?", "").toLowerCase(Locale.ROOT);
        return rest.isEmpty() ? id : rest;
    }

    /** The people the page offers to act as (everyone but the bot), in config order. */
    List<Person> actors() {
        return users.values().stream().filter(p -> !p.id().equals(BOT)).toList();
    }

    Optional<Person> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    Optional<List<String>> members(String groupId) {
        return Optional.ofNullable(groupMembers.get(groupId)).map(List::copyOf);
    }

    Map<String, String> groups() {
        return Map.copyOf(groupNames);
    }
}
