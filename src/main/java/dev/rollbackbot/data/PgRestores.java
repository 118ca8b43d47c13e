package dev.rollbackbot.data;

import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.incident.Incident;
import java.time.Clock;
import java.util.function.Function;

/** What every PostgreSQL restore shares: the backups folder, the dependent services, the clients, the figures' store. */
public final class PgRestores {
    private final BackupFolder folder;
    private final Dependents dependents;
    private final Function<DatastoreConfig, PgClient> clients;
    private final DataRestores figures;
    private final Clock clock;

    public PgRestores(BackupFolder folder, Dependents dependents, Function<DatastoreConfig, PgClient> clients, DataRestores figures,
            Clock clock) {
        this.folder = folder;
        this.dependents = dependents;
        this.clients = clients;
        this.figures = figures;
        this.clock = clock;
    }

    public BackupFolder folder() {
        return folder;
    }

    public Dependents dependents() {
        return dependents;
    }

    /** Refuses, before approval, a datastore whose clients cannot run. */
    void checkClients(DatastoreConfig d) {
        clients.apply(d);
    }

    /** A restore of the newest complete backup, chosen now: for an emergency, where no one approved a particular backup. */
    PgRestoreRun newest(DatastoreConfig d, Incident inc) {
        Backup b = folder.choose(d, java.util.Optional.empty());
        return new PgRestoreRun(d, inc.id(), inc.ref(), b.name(), Checksums.sha256(b.path()), clients.apply(d), folder, dependents,
                figures, clock);
    }

    PgRestoreRun run(DatastoreConfig d, Incident inc) {
        return new PgRestoreRun(d, inc.id(), inc.ref(), inc.toVersion().orElseThrow(), inc.toPin().orElseThrow().value(), clients.apply(d),
                folder, dependents, figures, clock);
    }
}
