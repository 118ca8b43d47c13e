package dev.rollbackbot.command;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The first word of {@code /rollback}, with its usage line and a one-line summary for help. */
public enum Word {
    EMERGENCY("emergency", "emergency <service> [reason]", "stop the service, bring back its previous version, check its datastores, verify health"),
    MANUAL("manual", "manual <service> [--to <version>] [reason]", "recreate the service from its previous (or the given) version"),
    BLUE_GREEN("blue-green", "blue-green <service> [reason]", "switch traffic to the other colour"),
    DATA("data", "data <datastore> [--backup <name>] [reason]", "restore a datastore from its latest (or the given) backup"),
    VALIDATE("validate", "validate <service>", "run the runbook's six post-rollback checks"),
    DRILL("drill", "drill <service> [reason]", "practise: stop the service, roll it back, validate, record as a drill"),
    STATUS("status", "status [INC-n]", "what is pending or running, or one incident's timeline"),
    HISTORY("history", "history [service]", "recent rollbacks and the versions each service ran"),
    STATS("stats", "stats [days]", "how often, why and how fast rollbacks were"),
    LOG("log", "log INC-n", "upload an incident's whole timeline as a Markdown file (INC-n.md) into its card's thread"),
    ACK("ack", "ack INC-n", "acknowledge an incident's page and stop its escalation"),
    CANCEL("cancel", "cancel INC-n", "withdraw your own request before it runs"),
    BACKUPS("backups", "backups <datastore>", "list a datastore's backups"),
    ONCALL("oncall", "oncall", "who is paged at each escalation level"),
    MONITOR("monitor", "monitor", "each monitored service: healthy, failing n of retries, in its start period, or paused by a rollback"),
    HELP("help", "help [command]", "this list, or one command's usage");

    private final String text;
    private final String usage;
    private final String summary;

    Word(String text, String usage, String summary) {
        this.text = text;
        this.usage = usage;
        this.summary = summary;
    }

    public String text() {
        return text;
    }

    /** Usage with the slash command in front, e.g. {@code /rollback status [INC-n]}. */
    public String usage() {
        return "/rollback " + usage;
    }

    public String summary() {
        return summary;
    }

    public static Optional<Word> of(String text) {
        return Arrays.stream(values()).filter(w -> w.text.equals(text)).findFirst();
    }

    public static List<String> texts() {
        return Arrays.stream(values()).map(Word::text).toList();
    }
}
