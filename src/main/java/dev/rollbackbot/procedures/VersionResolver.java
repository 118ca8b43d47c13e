package dev.rollbackbot.procedures;

import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.ChosenVersions;
import java.util.Optional;

/**
 * What a service runs and what "previous version" means for it, on one platform: {@code --to} when given, else the
 * deployment history, else the platform's own notion of an older version. The result carries the pins that prove,
 * at run time, that what runs is what was approved.
 */
public interface VersionResolver {
    ChosenVersions resolve(ServiceConfig service, Optional<String> to);
}
