package dev.rollbackbot.config;

import java.util.Optional;

/**
 * A datastore services depend on. It is reached either directly ({@code host} and {@code port}) or through
 * its {@code container} (the runbook's {@code docker-compose exec}); when both are given the address wins.
 */
public record DatastoreConfig(
        String name,
        DatastoreType type,
        Optional<String> container,
        Optional<String> host,
        int port,
        String database,
        String user,
        Optional<String> backups,
        Optional<String> dataDir,
        int minTables) {

    public boolean hasAddress() {
        return host.isPresent();
    }

    /** Where it is checked, for people: {@code 127.0.0.1:5432} or {@code container db-prod}. */
    public String describeLocation() {
        return host.map(h -> h + ":" + port).orElseGet(() -> "container " + container.orElse("?"));
    }
}
