package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import java.nio.file.Path;
import java.util.Locale;

/** The names one restore of a PostgreSQL datastore uses: the databases it makes and renames, and the file it keeps. */
record PgNames(String live, String restored, String kept, String maintenance, Path dumpFile) {
    /** PostgreSQL cuts identifiers at 63 bytes: a longer name would silently collide. */
    static final int MAX_IDENTIFIER = 63;

    static PgNames of(DatastoreConfig d, Path folder, String incidentRef) {
        String n = incidentRef.replace("INC-", "");
        String live = d.database();
        return new PgNames(live, live + "_restore_inc_" + n, live + "_pre_inc_" + n,
                live.equals("postgres") ? "template1" : "postgres",
                folder.resolve(d.name() + "-pre-" + incidentRef.toLowerCase(Locale.ROOT) + ".sql.gz"));
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
