package dev.rollbackbot.data;

import dev.rollbackbot.common.Message;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /rollback backups <datastore>}, and the check of a {@code --backup} name made on the acknowledgement. */
public final class BackupListing {
    private static final int SHOWN = 20;
    private final BotConfig config;
    private final BackupFolder folder;
    private final Clock clock;

    public BackupListing(BotConfig config, BackupFolder folder, Clock clock) {
        this.config = config;
        this.folder = folder;
        this.clock = clock;
    }

    /** The backups newest first, with size, age and whether each is complete. */
    public Message list(String datastore) {
        DatastoreConfig d = config.datastore(datastore).orElseThrow();
        List<Backup> all = folder.list(d);
        if (all.isEmpty()) {
            return Message.text("No backups of ").code(d.name()).then(" in ").code(folder.folder(d).toString()).then(" ("
                    + (d.type() == dev.rollbackbot.config.DatastoreType.POSTGRES ? "*.sql.gz" : "*.rdb, *.rdb.gz") + ").");
        }
        List<Message> lines = new ArrayList<>();
        lines.add(Message.text("Backups of ").code(d.name()).then(" in ").code(folder.folder(d).toString()).then(", newest first ("
                + all.size() + "):"));
        for (Backup b : all.subList(0, Math.min(SHOWN, all.size()))) {
            Message line = Message.text("• ").code(b.name()).then(" " + Sizes.human(b.size()) + ", "
                    + Durations.human(Duration.between(b.takenAt(), clock.instant())) + " old, ");
            line = b.problem().map(p -> Message.text("INCOMPLETE: " + p)).map(line::then).orElse(line.then("complete"));
            if (b.keptByTheBot()) {
                line = line.then(" (kept by the bot before a restore)");
            }
            lines.add(line);
        }
        if (all.size() > SHOWN) {
            lines.add(Message.text("… and " + (all.size() - SHOWN) + " older."));
        }
        Optional<Backup> newest = all.stream().filter(Backup::complete).filter(b -> !b.keptByTheBot()).findFirst();
        lines.add(newest.map(b -> Message.text("`/rollback data " + d.name() + "` restores ").code(b.name())
                .then("; `--backup <name>` picks another.")).orElse(Message.text("None is complete: `/rollback data " + d.name()
                        + "` would refuse.")));
        return Message.join("\n", lines);
    }

    /** Refuses, on the acknowledgement, a {@code --backup} that is not a file inside the datastore's folder. */
    public void checkName(String datastore, String name) {
        DatastoreConfig d = config.datastore(datastore).orElseThrow(() -> new UserError("There is no datastore " + datastore + "."));
        folder.locate(d, name);
    }
}
