package dev.rollbackbot.data;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One file of a datastore's backups folder: its name, size, time (the file's modification time, which is when the
 * backup was taken) and whether it is complete ({@code problem} says why not).
 */
public record Backup(String name, Path path, long size, Instant takenAt, Format format, Optional<String> problem) {
    /** What a backup file holds, by its name. */
    public enum Format {
        SQL_GZ(".sql.gz"),
        RDB(".rdb"),
        RDB_GZ(".rdb.gz");

        private final String suffix;

        Format(String suffix) {
            this.suffix = suffix;
        }

        public boolean gzipped() {
            return this != RDB;
        }

        static Optional<Format> of(String name) {
            for (Format f : values()) {
                if (name.endsWith(f.suffix) && name.length() > f.suffix.length()) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    public boolean complete() {
        return problem.isEmpty();
    }

    /** A copy the bot made of the live data before a restore ({@code <datastore>-pre-inc-<n>...}), not a scheduled backup. */
    public boolean keptByTheBot() {
        return name.contains("-pre-inc-");
    }
}
