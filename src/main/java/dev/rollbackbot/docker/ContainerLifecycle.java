package dev.rollbackbot.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, starts, stops, renames and removes containers. Stopping a stopped container, starting a running one and
 * removing a missing one are fine: each is what was asked.
 */
final class ContainerLifecycle {
    /** Logged under the facade's name, as before the split. */
    private static final Logger log = LoggerFactory.getLogger(DockerJavaEngine.class);

    private final EngineConnection engine;

    ContainerLifecycle(EngineConnection engine) {
        this.engine = engine;
    }

    void rename(String nameOrId, String newName) {
        engine.call("rename " + nameOrId + " to " + newName,
                () -> engine.client().renameContainerCmd(nameOrId).withName(newName).exec());
    }

    void stop(String nameOrId, Duration timeout) {
        engine.call("stop " + nameOrId, () -> {
            try {
                engine.client().stopContainerCmd(nameOrId).withTimeout((int) Math.max(1, timeout.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                log.debug("{} was already stopped", nameOrId);
            }
            return null;
        });
    }

    void start(String nameOrId) {
        engine.call("start " + nameOrId, () -> {
            try {
                engine.client().startContainerCmd(nameOrId).exec();
            } catch (NotModifiedException alreadyRunning) {
                log.debug("{} was already running", nameOrId);
            }
            return null;
        });
    }

    void remove(String nameOrId) {
        engine.call("remove " + nameOrId, () -> {
            try {
                engine.client().removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(false).exec();
            } catch (NotFoundException gone) {
                log.debug("{} was already removed", nameOrId);
            }
            return null;
        });
    }

    String createLike(String template, String name, String image, String imageId) {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("createLike needs the approved image id of " + image);
        }
        return engine.call("create " + name + " from " + image,
                () -> engine.replacements().create(template, name, image, imageId));
    }

    List<String> uncopiedSettings(String container) {
        return engine.call("read the settings of " + container, () -> engine.replacements().uncopied(container));
    }
}
