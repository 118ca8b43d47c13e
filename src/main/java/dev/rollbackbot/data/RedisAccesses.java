package dev.rollbackbot.data;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.docker.ContainerEngine;
import java.time.Clock;

/** How the bot reaches a Redis datastore's data: inside its container, or a Redis on the bot's host with its data-dir. */
public final class RedisAccesses {
    private RedisAccesses() {
    }

    public static RedisAccess forDatastore(DatastoreConfig d, ContainerEngine engine, java.util.Optional<String> password, Clock clock) {
        if (d.container().isPresent()) {
            return new ContainerRedis(engine, d, clock);
        }
        if (d.host().isPresent() && d.dataDir().isPresent()) {
            return new HostRedis(d, password, clock);
        }
        throw new UserError("Restoring " + d.name() + " needs its `container`, or `host` with the `data-dir` of a Redis on the bot's"
                + " host; nothing was planned.");
    }
}
