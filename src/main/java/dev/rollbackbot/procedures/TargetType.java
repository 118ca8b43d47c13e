package dev.rollbackbot.procedures;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.Platform;
import dev.rollbackbot.core.RollbackKind;
import java.util.Optional;

/** What a procedure acts on: the second half of a procedure's key, read from the configuration of its target. */
public enum TargetType {
    DOCKER_CONTAINER("Docker service", "Docker services"),
    KUBERNETES_DEPLOYMENT("Kubernetes service", "Kubernetes services"),
    NGINX_UPSTREAM("blue-green service switched through nginx", "blue-green services switched through nginx"),
    KUBERNETES_SERVICE("blue-green service switched by a Kubernetes Service", "blue-green services switched by a Kubernetes Service"),
    POSTGRES("PostgreSQL datastore", "PostgreSQL datastores"),
    REDIS("Redis datastore", "Redis datastores");

    private final String noun;
    private final String plural;

    TargetType(String noun, String plural) {
        this.noun = noun;
        this.plural = plural;
    }

    /** {@code a Docker service}. */
    public String description() {
        return "a " + noun;
    }

    /** {@code Docker services}. */
    public String plural() {
        return plural;
    }

    /** The type of {@code target} for {@code kind}: a datastore's type for data rollbacks, else the service's platform. */
    public static Optional<TargetType> of(RollbackKind kind, String target, BotConfig config) {
        if (kind == RollbackKind.DATA) {
            return config.datastore(target).map(d -> switch (d.type()) {
                case POSTGRES -> POSTGRES;
                case REDIS -> REDIS;
            });
        }
        if (kind == RollbackKind.BLUE_GREEN) {
            return config.service(target).flatMap(s -> s.blueGreen()).map(b -> b.viaService() ? KUBERNETES_SERVICE : NGINX_UPSTREAM);
        }
        return config.service(target).map(s -> s.platform() == Platform.DOCKER ? DOCKER_CONTAINER : KUBERNETES_DEPLOYMENT);
    }
}
