package dev.rollbackbot.docker;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.procedures.VersionResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds what a Docker service runs and what "previous version" means for it: {@code --to} when given (a version of
 * the same image), else the image it ran before in the bot's deployment history, else the newest local image of the
 * same repository created before the current one. A version the service was rolled back from by a successful
 * rollback is never chosen by itself again (so a second rollback goes further back, not forward to the bad release).
 */
public final class DockerVersions implements VersionResolver {
    private final ContainerEngine engine;
    private final DeploymentHistory history;
    private final IncidentStore incidents;
    private final Clock clock;

    public DockerVersions(ContainerEngine engine, DeploymentHistory history, IncidentStore incidents, Clock clock) {
        this.engine = engine;
        this.history = history;
        this.incidents = incidents;
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

    @Override
    public ChosenVersions resolve(ServiceConfig s, Optional<String> to) {
        ContainerEngine.ContainerInfo c = current(s);
        String current = c.image();
        ImageRef currentRef = ImageRef.parse(current);
        if (to.isPresent()) {
            String wanted = to.get().contains(":") || to.get().contains("/") ? to.get() : currentRef.withTag(to.get()).toString();
            if (!ImageRef.parse(wanted).sameRepository(currentRef)) {
                throw new UserError("`--to` names a version of " + s.name() + "'s own image, " + currentRef.repository() + "; "
                        + wanted + " is another image. Running another image with " + s.name() + "'s settings is not a"
                        + " rollback: do that by hand if you mean it.");
            }
            ContainerEngine.ImageInfo image = engine.image(wanted).orElseThrow(() -> new UserError("Image " + wanted
                    + " is not on the engine (" + engine.describe() + "). Local tags of " + currentRef.repository() + ": "
                    + String.join(", ", localTags(currentRef)) + "."));
            return checked(s, c, wanted, image, VersionChoice.NAMED);
        }
        Set<String> rolledBackFrom = incidents.rolledBackFrom(s.name());
        Optional<String> fromHistory = history.versionBefore(s.name(), current, rolledBackFrom);
        if (fromHistory.isPresent()) {
            Optional<ContainerEngine.ImageInfo> image = engine.image(fromHistory.get());
            if (image.isPresent()) {
                return checked(s, c, fromHistory.get(), image.get(), VersionChoice.HISTORY);
            }
        }
        ContainerEngine.ImageInfo currentImage = engine.image(c.imageId()).orElseThrow(() -> new UserError(
                "The image of " + s.container() + " (" + current + ") is no longer on the engine, so no older one can be"
                        + " found by date. Name the version to go back to with `--to <version>`."));
        Optional<String> older = newestOlder(currentRef, currentImage, rolledBackFrom);
        if (older.isEmpty()) {
            throw new UserError("No previous version of " + s.name() + " is known: the deployment history has nothing before "
                    + current + " and the engine has no older image of " + currentRef.repository()
                    + (rolledBackFrom.isEmpty() ? "" : " (versions it was rolled back from are never chosen: "
                            + String.join(", ", new java.util.TreeSet<>(rolledBackFrom)) + ")")
                    + ". Name one with `/rollback manual " + s.name() + " --to <version>`.");
        }
        return checked(s, c, older.get(), engine.image(older.get()).orElseThrow(), VersionChoice.OLDER_IMAGE);
    }

    private ChosenVersions checked(ServiceConfig s, ContainerEngine.ContainerInfo c, String target, ContainerEngine.ImageInfo image,
            VersionChoice choice) {
        if (target.equals(c.image())) {
            throw new UserError(s.name() + " already runs " + c.image() + "; there is nothing to roll back to.");
        }
        return new ChosenVersions(c.image(), target, choice, Optional.ofNullable(c.imageId()).map(Pin::new), Optional.of(new Pin(image.id())));
    }

    private List<String> localTags(ImageRef repo) {
        return engine.images().stream().flatMap(i -> i.tags().stream())
                .filter(t -> ImageRef.parse(t).sameRepository(repo)).map(t -> ImageRef.parse(t).tag()).sorted().toList();
    }

    /** The newest tag of the same repository whose image was created before the current image. */
    private Optional<String> newestOlder(ImageRef repo, ContainerEngine.ImageInfo currentImage, Set<String> skip) {
        String bestTag = null;
        Instant bestCreated = null;
        for (ContainerEngine.ImageInfo i : engine.images()) {
            if (i.id().equals(currentImage.id())) {
                continue;
            }
            for (String tag : i.tags()) {
                if (!ImageRef.parse(tag).sameRepository(repo) || skip.contains(tag)) {
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
