package dev.rollbackbot.health;

import dev.rollbackbot.config.DatastoreConfig;

/** Checks a datastore at its address when it has one, else inside its container. */
public final class DatastoreProbes implements DatastoreProbe {
    private final DatastoreProbe network;
    private final DatastoreProbe container;

    public DatastoreProbes(DatastoreProbe network, DatastoreProbe container) {
        this.network = network;
        this.container = container;
    }

    @Override
    public Answer check(DatastoreConfig d) {
        return d.hasAddress() ? network.check(d) : container.check(d);
    }
}
