package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.docker.ContainerEngine;
import java.util.Optional;

/** The clients of a PostgreSQL datastore: on the bot's host when it has an address, else inside its container. */
public final class PgClients {
    private PgClients() {
    }

    public static PgClient forDatastore(DatastoreConfig d, Optional<String> password, ContainerEngine engine) {
        if (d.hasAddress()) {
            return new HostPgClient(d, password);
        }
        if (d.container().isPresent()) {
            return new ContainerPgClient(engine, d, password);
        }
        throw new UserError(d.name() + " has neither host nor container, so its clients cannot run; nothing was planned.");
    }
}
