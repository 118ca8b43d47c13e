package dev.rollbackbot.kubernetes;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.procedures.VersionResolver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a Kubernetes service runs (the revision whose template its Deployment asks for) and what "previous" means:
 * {@code --to <revision>} when given; else the revision it ran before in the bot's deployment history (matched by
 * pod-template-hash, since a rollback renumbers a ReplicaSet); else the newest older ReplicaSet revision, as
 * {@code kubectl rollout undo} picks. A template the service was rolled back from is never chosen by itself again.
 */
public final class KubernetesVersions implements VersionResolver {
    private final Deployments deployments;
    private final DeploymentHistory history;
    private final RolledBackFrom rolledBackFrom;
    private final Clock clock;

    /** The pod-template-hashes a service was rolled back from by the bot's own choice. */
    @FunctionalInterface
    public interface RolledBackFrom {
        Set<String> pins(String service);
    }

    public KubernetesVersions(Deployments deployments, DeploymentHistory history, RolledBackFrom rolledBackFrom, Clock clock) {
        this.deployments = deployments;
        this.history = history;
        this.rolledBackFrom = rolledBackFrom;
        this.clock = clock;
    }

    /** The revision running now, recorded in the deployment history. */
    public Deployments.Revision current(ServiceConfig s) {
        requireDeployment(s);
        Deployments.Revision r = deployments.current(s.namespace(), s.deployment()).orElseThrow(() -> new UserError(
                "deployment " + s.namespace() + "/" + s.deployment() + " of " + s.name() + " has no ReplicaSet for its current"
                        + " template yet (a rollout is starting); try again in a moment."));
        history.record(s.name(), r.describe(), r.hash(), clock.instant());
        return r;
    }

    @Override
    public ChosenVersions resolve(ServiceConfig s, Optional<String> to) {
        Deployments.Revision current = current(s);
        List<Deployments.Revision> all = deployments.revisions(s.namespace(), s.deployment());
        if (to.isPresent()) {
            String wanted = to.get().replaceFirst("^(revision|rev|r)\\s*", "");
            Deployments.Revision target = all.stream().filter(r -> String.valueOf(r.number()).equals(wanted)).findFirst()
                    .orElseThrow(() -> new UserError("deployment " + s.namespace() + "/" + s.deployment() + " has no revision "
                            + to.get() + ". Its revisions: " + all.stream().map(Deployments.Revision::describe)
                                    .collect(Collectors.joining(", ")) + ". Nothing was changed."));
            return checked(s, current, target, VersionChoice.NAMED);
        }
        Set<String> skip = rolledBackFrom.pins(s.name());
        Optional<Deployments.Revision> fromHistory = history.recent(s.name(), 200).stream()
                .dropWhile(d -> !d.pin().equals(Optional.of(current.hash())))
                .map(d -> d.pin().orElse(""))
                .filter(p -> !p.equals(current.hash()) && !skip.contains(p))
                .flatMap(p -> all.stream().filter(r -> r.hash().equals(p)))
                .findFirst();
        if (fromHistory.isPresent()) {
            return checked(s, current, fromHistory.get(), VersionChoice.HISTORY);
        }
        Deployments.Revision previous = all.stream()
                .filter(r -> r.number() < current.number() && !r.hash().equals(current.hash()) && !skip.contains(r.hash()))
                .findFirst()
                .orElseThrow(() -> new UserError("No previous revision of " + s.name() + " is known: deployment " + s.namespace()
                        + "/" + s.deployment() + " keeps " + all.stream().map(Deployments.Revision::describe)
                                .collect(Collectors.joining(", "))
                        + (skip.isEmpty() ? "" : " (templates it was rolled back from are never chosen)")
                        + ". Name one with `/rollback manual " + s.name() + " --to <revision>`."));
        return checked(s, current, previous, VersionChoice.PREVIOUS_REVISION);
    }

    private static ChosenVersions checked(ServiceConfig s, Deployments.Revision current, Deployments.Revision target,
            VersionChoice choice) {
        if (target.hash().equals(current.hash())) {
            throw new UserError(s.name() + " already runs " + current.describe() + "; there is nothing to roll back to.");
        }
        return new ChosenVersions(current.describe(), target.describe(), choice, Optional.of(new Pin(current.hash())),
                Optional.of(new Pin(target.hash())));
    }

    static void requireDeployment(ServiceConfig s) {
        if (s.namespace() == null || s.deployment() == null) {
            throw new UserError(s.name() + " has no Kubernetes deployment configured (`services." + s.name()
                    + ".namespace` and `.deployment`), so it can only be switched with `/rollback blue-green`.");
        }
    }
}
