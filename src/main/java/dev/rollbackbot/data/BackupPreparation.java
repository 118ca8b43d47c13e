package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Prepared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a data restore checks while the approval waits, changing nothing: the chosen backup is still complete and still
 * the file that was planned (its SHA-256), and the backups folder has room for the copy of the live data the run keeps
 * first. A finding is shown on the card, and Approve then refuses to start; nothing is left to clean up.
 */
final class BackupPreparation {
    /** Room asked for beyond the estimate of the live data's dump, so the disk is not filled to the last byte. */
    static final long MARGIN = 64L << 20;

    private BackupPreparation() {
    }

    /**
     * @param liveDump whether the run writes a dump of the live data into the backups folder (PostgreSQL), estimated at
     *                 the chosen backup's size: the live data is the backup's plus what changed since
     */
    static Prepared check(BackupFolder folder, DatastoreConfig d, Incident inc, boolean liveDump) {
        String name = inc.toVersion().orElseThrow(() -> new UserError("The plan of " + d.name() + " names no backup;"
                + " nothing was prepared. Request the restore again."));
        Backup b = folder.choose(d, Optional.of(name));
        String sha = Checksums.sha256(b.path());
        if (inc.toPin().map(p -> !p.value().equals(sha)).orElse(false)) {
            throw new UserError("The backup " + name + " of " + d.name() + " changed since the plan was made (its SHA-256 is"
                    + " not the planned one); nothing was changed. Request the restore again to plan from the file as it is now.");
        }
        String detail = "backup " + name + " is complete and unchanged since planned (" + Sizes.human(b.size()) + ")";
        if (!liveDump) {
            return new Prepared(detail, "");
        }
        Path dir = folder.folder(d);
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UserError("Cannot tell how much room is left in " + dir + " for the dump of the live " + d.name() + " ("
                    + e.getMessage() + "); nothing was changed. Check the folder, then request again.");
        }
        long needed = b.size() + MARGIN;
        if (free < needed) {
            throw new UserError("The backups folder " + dir + " has " + Sizes.human(free) + " free, and the dump of the live "
                    + d.name() + " the run keeps first needs about " + Sizes.human(needed) + " (the backup's size and a margin);"
                    + " nothing was changed. Free up space there, then request again.");
        }
        return new Prepared(detail + "; " + Sizes.human(free) + " free in " + dir + " for the dump of the live data", "");
    }
}
