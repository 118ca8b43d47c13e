package dev.rollbackbot.monitor;

import dev.rollbackbot.config.Platform;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.DockerVersions;
import dev.rollbackbot.kubernetes.Deployments;
import dev.rollbackbot.kubernetes.KubernetesVersions;

/**
 * {@link Instances} on the bot's platforms: a Docker service's image and container id, a Kubernetes service's
 * revision and pod-template hash. Both record what they see in the deployment history.
 */
public final class MonitoredInstances implements Instances {
    private final DockerVersions docker;
    private final KubernetesVersions kubernetes;

    public MonitoredInstances(DockerVersions docker, KubernetesVersions kubernetes) {
        this.docker = docker;
        this.kubernetes = kubernetes;
    }

    @Override
    public Seen seen(ServiceConfig s) {
        if (s.platform() == Platform.DOCKER) {
            ContainerEngine.ContainerInfo c = docker.current(s);
            return new Seen(c.image(), c.id());
        }
        Deployments.Revision r = kubernetes.current(s);
        return new Seen(r.describe(), r.hash());
    }
}
