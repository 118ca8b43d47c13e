package dev.rollbackbot.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole configuration, checked: every value here is valid and cross-references resolve. */
public record BotConfig(
        String source,
        String channel,
        ApprovalSettings approvals,
        List<EscalationLevel> escalation,
        Map<String, ServiceConfig> services,
        Map<String, DatastoreConfig> datastores) {

    public BotConfig {
        services = Map.copyOf(services);
        datastores = Map.copyOf(datastores);
        escalation = List.copyOf(escalation);
    }

    public Optional<ServiceConfig> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public Optional<DatastoreConfig> datastore(String name) {
        return Optional.ofNullable(datastores.get(name));
    }

    /** Service names in a stable order, for messages that list what is valid. */
    public List<String> serviceNames() {
        return services.keySet().stream().sorted().toList();
    }

    public List<String> datastoreNames() {
        return datastores.keySet().stream().sorted().toList();
    }
}
