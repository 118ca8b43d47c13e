package dev.rollbackbot.docker;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.rollback.Versions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds what a Docker service runs and what "previous version" means for it: {@code --to} when given, else the
 * image it ran before in the bot's deployment history, else the newest local image of the same repository
 * created before the current one.
 */
public final class DockerVersions {
    private final ContainerEngine engine;
    private final DeploymentHistory history;
    private final Clock clock;

    public DockerVersions(ContainerEngine engine, DeploymentHistory history, Clock clock) {
        this.engine = engine;
        this.history = history;
        this.clock = clock;
    }

    /** The image the service's container runs now, recorded in the deployment history. */
    public ContainerEngine.ContainerInfo current(ServiceConfig s) {
        ContainerEngine.ContainerInfo c = engine.container(s.container()).orElseThrow(() -> new UserError(
                "Container " + s.container() + " of " + s.name() + " does not exist on " + engine.describe()
                        + ". Check `services." + s.name() + ".container` in the configuration."));
        history.record(s.name(), c.image(), c.imageId(), clock.instant());
        return c;
    }

    public Versions resolve(ServiceConfig s, Optional<String> to) {
        ContainerEngine.ContainerInfo c = current(s);
        String current = c.image();
        ImageRef currentRef = ImageRef.parse(current);
        if (to.isPresent()) {
            String wanted = to.get().contains(":") || to.get().contains("/") ? to.get() : currentRef.withTag(to.get()).toString();
            if (engine.image(wanted).isEmpty()) {
                throw new UserError("Image " + wanted + " is not on the engine (" + engine.describe() + "). Local tags of "
                        + currentRef.repository() + ": " + String.join(", ", localTags(currentRef)) + ".");
            }
            return checked(s, current, wanted, "--to");
        }
        Optional<String> fromHistory = history.versionBefore(s.name(), current);
        if (fromHistory.isPresent() && engine.image(fromHistory.get()).isPresent()) {
            return checked(s, current, fromHistory.get(), "deployment history");
        }
        ContainerEngine.ImageInfo currentImage = engine.image(c.imageId()).orElseThrow(() -> new UserError(
                "The image of " + s.container() + " (" + current + ") is no longer on the engine, so no older one can be"
                        + " found by date. Name the version to go back to with `--to &lt;version&gt;`."));
        Optional<String> older = newestOlder(currentRef, currentImage);
        if (older.isEmpty()) {
            throw new UserError("No previous version of " + s.name() + " is known: the deployment history has nothing before "
                    + current + " and the engine has no older image of " + currentRef.repository()
                    + ". Name one with `/rollback manual " + s.name() + " --to &lt;version&gt;`.");
        }
        return checked(s, current, older.get(), "newest older local image");
    }

    private Versions checked(ServiceConfig s, String current, String target, String chosenBy) {
        if (target.equals(current)) {
            throw new UserError(s.name() + " already runs " + current + "; there is nothing to roll back to.");
        }
        return new Versions(current, target, chosenBy);
    }

    private List<String> localTags(ImageRef repo) {
        return engine.images().stream().flatMap(i -> i.tags().stream())
                .filter(t -> ImageRef.parse(t).sameRepository(repo)).map(t -> ImageRef.parse(t).tag()).sorted().toList();
    }

    /** The newest tag of the same repository whose image was created before the current image. */
    private Optional<String> newestOlder(ImageRef repo, ContainerEngine.ImageInfo currentImage) {
        String bestTag = null;
        Instant bestCreated = null;
        for (ContainerEngine.ImageInfo i : engine.images()) {
            if (i.id().equals(currentImage.id())) {
                continue;
            }
            for (String tag : i.tags()) {
                if (!ImageRef.parse(tag).sameRepository(repo)) {
                    continue;
                }
                // the list gives seconds; inspect gives the exact creation time, needed to order quick rebuilds
                Instant created = engine.image(tag).map(ContainerEngine.ImageInfo::created).orElse(i.created());
                if (created.isBefore(currentImage.created()) && (bestCreated == null || created.isAfter(bestCreated))) {
                    bestTag = tag;
                    bestCreated = created;
                }
            }
        }
        return Optional.ofNullable(bestTag);
    }
}
