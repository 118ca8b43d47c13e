package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A datastore's {@code backups} folder: lists its backups newest first, each checked complete (the gzip stream ends
 * properly; a plain {@code pg_dump} also ends with its completion marker), and resolves a name given with
 * {@code --backup} only to a file inside the folder (no {@code ../}, no absolute path, no symlink leading out).
 */
public final class BackupFolder {
    /** The last comment a plain {@code pg_dump} writes: a dump without it stopped half-way. */
    public static final String PG_DUMP_COMPLETE = "-- PostgreSQL database dump complete";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** Checks already made, by path, size and time: reading a large backup through once is enough. */
    private final Map<String, Optional<String>> checked = new ConcurrentHashMap<>();

    /** Every backup in the folder, newest first. A folder that is missing or unreadable is a {@link UserError}. */
    public List<Backup> list(DatastoreConfig d) {
        Path dir = folder(d);
        List<Backup> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                Optional<Backup.Format> format = Backup.Format.of(name).filter(f -> fits(d.type(), f));
                if (format.isPresent() && NAME.matcher(name).matches() && inside(dir, p)) {
                    out.add(describe(p, format.get()));
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read the backups folder " + dir + " of " + d.name() + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing(Backup::takenAt).reversed().thenComparing(Backup::name));
        return out;
    }

    /**
     * The backup {@code name} names, or without a name the newest complete one that is not a copy the bot kept
     * before an earlier restore. Refuses names outside the folder, unknown names and incomplete backups.
     */
    public Backup choose(DatastoreConfig d, Optional<String> name) {
        if (name.isEmpty()) {
            return list(d).stream().filter(Backup::complete).filter(b -> !b.keptByTheBot()).findFirst()
                    .orElseThrow(() -> new UserError("There is no complete backup of " + d.name() + " in " + folder(d)
                            + " (`/rollback backups " + d.name() + "` lists what is there). Nothing was changed."));
        }
        Backup b = resolve(d, name.get());
        if (b.problem().isPresent()) {
            throw new UserError("The backup " + b.name() + " of " + d.name() + " is not complete (" + b.problem().get()
                    + "), so it cannot be restored. Nothing was changed. `/rollback backups " + d.name() + "` lists the complete ones.");
        }
        return b;
    }

    /** The file {@code name} names inside the folder; anything leading outside it is refused. */
    public Backup resolve(DatastoreConfig d, String name) {
        Path p = locate(d, name);
        return describe(p, Backup.Format.of(name).orElseThrow());
    }

    /**
     * Where {@code name} is, refusing a name that leads outside the folder, an unknown name and a file that is not a
     * backup of this type; a few file-system calls and no reading (fit for the acknowledgement).
     */
    public Path locate(DatastoreConfig d, String name) {
        Path dir = folder(d);
        if (!NAME.matcher(name).matches()) {
            throw new UserError("`--backup` takes a file name of the backups folder of " + d.name() + " (no `/`, no `..`, not"
                    + " starting with `.`); nothing was changed. `/rollback backups " + d.name() + "` lists them.");
        }
        Optional<Backup.Format> format = Backup.Format.of(name).filter(f -> fits(d.type(), f));
        if (format.isEmpty()) {
            throw new UserError(name + " is not a backup of a " + d.type().product() + " datastore (" + suffixes(d.type())
                    + "); nothing was changed.");
        }
        Path p = dir.resolve(name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("There is no backup " + name + " of " + d.name() + " in " + dir + "; nothing was changed. `/rollback"
                    + " backups " + d.name() + "` lists them.");
        }
        if (!inside(dir, p)) {
            throw new UserError(name + " in " + dir + " leads outside the backups folder of " + d.name() + " (a symlink), so it is"
                    + " refused; nothing was changed.");
        }
        return p;
    }

    /** The folder, as its real path; a datastore without one, or a folder that is not there, is a {@link UserError}. */
    public Path folder(DatastoreConfig d) {
        String b = d.backups().orElseThrow(() -> new UserError(d.name() + " has no `backups` folder in the configuration"
                + " (datastores." + d.name() + ".backups), so there is nothing to list or restore."));
        try {
            return Path.of(b).toRealPath();
        } catch (NoSuchFileException e) {
            throw new UserError("The backups folder " + b + " of " + d.name() + " does not exist on the bot's host.");
        } catch (IOException e) {
            throw new UserError("cannot read the backups folder " + b + " of " + d.name() + ": " + e.getMessage());
        }
    }

    private static boolean inside(Path realDir, Path p) {
        try {
            Path real = p.toRealPath();
            return real.getParent() != null && real.getParent().equals(realDir) && Files.isRegularFile(real);
        } catch (IOException e) {
            return false; // a dangling link: not a backup
        }
    }

    private Backup describe(Path p, Backup.Format format) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            String key = p + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
            Optional<String> problem = checked.computeIfAbsent(key, k -> check(p, format));
            return new Backup(p.getFileName().toString(), p, a.size(), a.lastModifiedTime().toInstant(), format, problem);
        } catch (IOException e) {
            return new Backup(p.getFileName().toString(), p, 0, java.time.Instant.EPOCH, format, Optional.of("unreadable: " + e.getMessage()));
        }
    }

    /** Why the backup is not complete, or empty when it is. */
    static Optional<String> check(Path p, Backup.Format format) {
        if (!format.gzipped()) {
            return rdbHeader(p);
        }
        Tail tail = new Tail(256);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                tail.add(buf, n);
            }
        } catch (java.io.EOFException e) {
            return Optional.of("the gzip stream ends early: the file is truncated");
        } catch (IOException e) {
            return Optional.of("not a valid gzip file: " + e.getMessage());
        }
        if (format == Backup.Format.SQL_GZ && !tail.text().contains(PG_DUMP_COMPLETE)) {
            return Optional.of("it does not end with pg_dump's \"" + PG_DUMP_COMPLETE + "\": the dump stopped half-way");
        }
        if (format == Backup.Format.RDB_GZ && !tail.startedWith("REDIS")) {
            return Optional.of("it does not hold a Redis RDB file (no REDIS header)");
        }
        return Optional.empty();
    }

    private static Optional<String> rdbHeader(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(5);
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS") ? Optional.empty()
                    : Optional.of("it does not start with a Redis RDB header");
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    private static boolean fits(DatastoreType type, Backup.Format f) {
        return type == DatastoreType.POSTGRES ? f == Backup.Format.SQL_GZ : f != Backup.Format.SQL_GZ;
    }

    private static String suffixes(DatastoreType type) {
        return type == DatastoreType.POSTGRES ? "its backups end in .sql.gz" : "its backups end in .rdb or .rdb.gz";
    }
}
