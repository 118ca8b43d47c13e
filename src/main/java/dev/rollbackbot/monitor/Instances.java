package dev.rollbackbot.monitor;

import dev.rollbackbot.config.ServiceConfig;

/**
 * What a monitored service runs now, read from its platform (and recorded in the deployment history): the version
 * (image or revision) and the instance (container or ReplicaSet) whose change starts a new start period.
 */
@FunctionalInterface
public interface Instances {
    Seen seen(ServiceConfig service);

    record Seen(String version, String instance) {
    }
}
