package dev.rollbackbot.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A service the bot can roll back. Docker services have a container; Kubernetes ones a namespace and deployment. */
public record ServiceConfig(
        String name,
        Platform platform,
        String container,
        String namespace,
        String deployment,
        URI healthUrl,
        Duration readyTimeout,
        List<String> endpoints,
        Duration maxResponseTime,
        List<String> dependsOn,
        Optional<MonitorSettings> monitor,
        Optional<BlueGreenSettings> blueGreen) {

    public ServiceConfig {
        endpoints = List.copyOf(endpoints);
        dependsOn = List.copyOf(dependsOn);
    }

    /** What the service is, for people: {@code container api-prod} or {@code deployment prod/virtualqueue-api}. */
    public String describeTarget() {
        return platform == Platform.DOCKER ? "container " + container : "deployment " + namespace + "/" + deployment;
    }
}
