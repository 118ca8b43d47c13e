package dev.rollbackbot.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a replacement container with another container's settings, from exactly the image that was approved.
 *
 * <p>The create request names the human reference (the tag), and the new container's image id is then checked
 * against the approved id; when they differ (the tag was moved since approval) the new container is removed and the
 * create is refused. The engine fixes a container's image when it creates it, so what passes the check is exactly the
 * approved image whatever happens to the tag afterwards, and the container keeps reporting the tag as its image
 * ({@code Config.Image}), which the deployment history and the "still the approved version" checks compare.
 *
 * <p>Creating from the id instead was tried and left: podman 4.3 then records the image's first name as
 * {@code Config.Image} (whichever tag that is, not necessarily the approved one) and Docker records the bare id. The
 * tag would have had to travel in a label of our own, which every other tool (docker ps, deploy pipelines) ignores,
 * and which the next rollback would have to take care not to copy stale onto the next replacement.
 */
final class Replacements {
    private static final Logger log = LoggerFactory.getLogger(Replacements.class);

    private final DockerClient client;
    private volatile Boolean fixedAddressesReported;

    Replacements(DockerClient client) {
        this.client = client;
    }

    /** Creates (not starts) {@code name} from {@code image}, which must still be {@code imageId}, like {@code template}. */
    String create(String template, String name, String image, String imageId) {
        InspectContainerResponse from = client.inspectContainerCmd(template).exec();
        CreateContainerCmd cmd = client.createContainerCmd(image).withName(name);
        String id = ContainerSettings.copy(cmd, from, oldImage(from), fixedAddressesReported()).cmd().exec().getId();
        String created;
        try {
            created = client.inspectContainerCmd(id).exec().getImageId();
            if (sameImage(created, imageId)) {
                for (String network : Endpoints.extraNetworks(from)) {
                    client.connectToNetworkCmd().withNetworkId(network).withContainerId(id)
                            .withContainerNetwork(Endpoints.endpoint(from, network)).exec();
                }
                return id;
            }
        } catch (RuntimeException e) {
            // a half-made replacement must not block the name or the recovery
            log.warn("could not finish the replacement {}{}", name, removed(id, name));
            throw e;
        }
        throw new EngineException("refused to create " + name + ": " + image + " moved to image " + shortId(created)
                + " since approval (approved: " + shortId(imageId) + ")" + removed(id, name)
                + " Request the rollback again to approve what " + image + " is now.");
    }

    /** What {@link #create} would not give a replacement of {@code container}; nothing is created. */
    List<String> uncopied(String container) {
        InspectContainerResponse from = client.inspectContainerCmd(container).exec();
        String image = from.getConfig() == null ? null : from.getConfig().getImage();
        CreateContainerCmd unsent = client.createContainerCmd(Objects.requireNonNullElse(image, from.getImageId()));
        return ContainerSettings.copy(unsent, from, oldImage(from), fixedAddressesReported()).uncopied();
    }

    /** False for podman, whose inspect never reports fixed addresses ({@code IPAMConfig} is always null in 4.3). */
    boolean fixedAddressesReported() {
        Boolean known = fixedAddressesReported;
        if (known == null) {
            Version v = client.versionCmd().exec();
            List<VersionComponent> parts = v.getComponents() == null ? List.of() : v.getComponents();
            known = parts.stream().noneMatch(c -> c.getName() != null && c.getName().toLowerCase(Locale.ROOT).contains("podman"));
            fixedAddressesReported = known;
        }
        return known;
    }

    /** Image ids compare without the {@code sha256:} prefix; a missing id never matches. */
    static boolean sameImage(String a, String b) {
        if (a == null || b == null || a.isBlank() || b.isBlank()) {
            return false;
        }
        return bare(a).equals(bare(b));
    }

    private InspectImageResponse oldImage(InspectContainerResponse from) {
        try {
            return client.inspectImageCmd(from.getImageId()).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** Removes the unused container; says how that went, to end a sentence. */
    private String removed(String id, String name) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return "; nothing was changed.";
        } catch (NotFoundException gone) {
            return "; nothing was changed.";
        } catch (RuntimeException e) {
            String why = e instanceof DockerException d ? DockerJavaEngine.engineMessage(d) : e.getMessage();
            return "; removing the unused container " + name + " failed too (" + why + "): remove it by hand"
                    + " (`docker rm -f " + name + "`). The service itself was not touched.";
        }
    }

    private static String bare(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("sha256:") ? s.substring("sha256:".length()) : s;
    }

    private static String shortId(String id) {
        if (id == null || id.isBlank()) {
            return "(unknown)";
        }
        String s = bare(id);
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
