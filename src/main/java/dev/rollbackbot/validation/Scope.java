package dev.rollbackbot.validation;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.config.ServiceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one validation checks: services (health, endpoints, response time) and datastores (ready, min-tables), each
 * once. A service brings the datastores of its {@code depends-on}; a datastore brings every service that depends on
 * it (and theirs).
 */
public record Scope(String name, List<ServiceConfig> services, List<DatastoreConfig> datastores) {
    public Scope {
        services = List.copyOf(services);
        datastores = List.copyOf(datastores);
    }

    public static Scope ofService(BotConfig config, ServiceConfig s) {
        return new Scope(s.name(), List.of(s), datastoresOf(config, List.of(s), Map.of()));
    }

    public static Scope ofDatastore(BotConfig config, DatastoreConfig d) {
        List<ServiceConfig> dependents = config.services().values().stream().filter(s -> s.dependsOn().contains(d.name()))
                .sorted(java.util.Comparator.comparing(ServiceConfig::name)).toList(); // the configuration's map has no order
        String name = d.name() + (dependents.isEmpty() ? "" : " and " + String.join(", ", dependents.stream().map(ServiceConfig::name).toList()));
        return new Scope(name, dependents, datastoresOf(config, dependents, Map.of(d.name(), d)));
    }

    private static List<DatastoreConfig> datastoresOf(BotConfig config, List<ServiceConfig> services, Map<String, DatastoreConfig> first) {
        Map<String, DatastoreConfig> all = new LinkedHashMap<>(first);
        services.forEach(s -> s.dependsOn().forEach(n -> config.datastore(n).ifPresent(d -> all.putIfAbsent(n, d))));
        return List.copyOf(all.values());
    }

    List<DatastoreConfig> of(DatastoreType type) {
        return datastores.stream().filter(d -> d.type() == type).toList();
    }

    /** Who a check that has nothing to check is skipped for: the services, else the scope's name. */
    String subject() {
        return services.isEmpty() ? name : String.join(", ", services.stream().map(ServiceConfig::name).toList());
    }
}
