package dev.rollbackbot.core;

/** How the version a rollback brings back was chosen. */
public enum VersionChoice {
    /** A person named it ({@code --to}). */
    NAMED("named with --to"),
    /** The version the service ran before the current one, in the bot's deployment history. */
    HISTORY("the version before it in the deployment history"),
    /** The newest local image of the same repository created before the current one. */
    OLDER_IMAGE("the newest older image on the engine"),
    /** The platform's own previous revision (e.g. a Deployment's previous ReplicaSet). */
    PREVIOUS_REVISION("the previous revision"),
    /** The only other choice there is (the other colour, the newest complete backup). */
    THE_OTHER("the only other choice"),
    /** A data restore's backup, named with {@code --backup}. */
    BACKUP_NAMED("named with --backup"),
    /** A data restore's backup, the newest complete one in the datastore's backups folder. */
    NEWEST_BACKUP("the newest complete backup"),
    /** Nothing changes version: a validation checks what runs. */
    UNCHANGED("nothing changes");

    private final String description;

    VersionChoice(String description) {
        this.description = description;
    }

    /** Plain text for the card and the record. */
    public String description() {
        return description;
    }

    /**
     * True when the bot chose the version itself. Only then does a successful rollback mark the version it left as
     * "rolled back from", never to be chosen again: a person's explicit choice says nothing about the version left.
     */
    public boolean chosenByTheBot() {
        return this != NAMED && this != BACKUP_NAMED;
    }
}
