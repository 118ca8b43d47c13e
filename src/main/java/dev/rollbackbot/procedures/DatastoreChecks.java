package dev.rollbackbot.procedures;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.DatastoreProbe;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.util.List;

/**
 * The emergency procedure's datastore steps: PostgreSQL ready? Redis PONG? Else, as the runbook does, a PostgreSQL is
 * restored from its newest complete backup and a Redis restarted (by {@link DatastoreRepair}), and checked again; a
 * datastore the bot cannot repair fails the step with what to do by hand.
 */
public final class DatastoreChecks {
    /** Restores or restarts a datastore that failed its check, within an emergency; returns what it did. */
    public interface DatastoreRepair {
        /** Whether this datastore can be repaired (a PostgreSQL needs a backups folder; a Redis, its container). */
        boolean canRepair(DatastoreConfig d);

        String repair(DatastoreConfig d, Incident incident) throws Exception;
    }

    private final BotConfig config;
    private final DatastoreProbe probe;
    private final java.util.Optional<DatastoreRepair> repair;

    public DatastoreChecks(BotConfig config, DatastoreProbe probe) {
        this(config, probe, null);
    }

    public DatastoreChecks(BotConfig config, DatastoreProbe probe, DatastoreRepair repair) {
        this.config = config;
        this.probe = probe;
        this.repair = java.util.Optional.ofNullable(repair);
    }

    /** An emergency's locks: the service and every datastore it depends on (it may restore or restart them). */
    public List<String> locks(String service) {
        List<String> all = new java.util.ArrayList<>(List.of(service));
        config.service(service).ifPresent(s -> all.addAll(s.dependsOn()));
        return all;
    }

    public List<Step> stepsFor(ServiceConfig s) {
        return stepsFor(s, null);
    }

    /** The checks of every datastore {@code s} depends on; with the incident, a failed check is repaired. */
    public List<Step> stepsFor(ServiceConfig s, Incident incident) {
        return s.dependsOn().stream().map(name -> config.datastore(name).orElseThrow()).map(d -> step(d, incident)).toList();
    }

    private Step step(DatastoreConfig d, Incident incident) {
        boolean repairs = incident != null && repair.isPresent() && repair.get().canRepair(d);
        String what = d.type() == DatastoreType.POSTGRES
                ? "PostgreSQL accepts connections" + (repairs ? ", else restore its newest complete backup" : "")
                : "Redis answers PONG" + (repairs ? ", else restart it" : "");
        return Step.of("Check " + d.name() + ": " + what, false, () -> {
            DatastoreProbe.Answer a = probe.check(d);
            if (a.ok()) {
                return a.seen();
            }
            String seen = d.name() + ": " + a.seen().replaceAll("[.\\s]+$", "");
            if (!repairs) {
                throw new StepFailure(seen + ". " + whatToDo(d));
            }
            String done;
            try {
                done = repair.get().repair(d, incident);
            } catch (dev.rollbackbot.common.UserError e) {
                throw new StepFailure(seen + "; " + (d.type() == DatastoreType.POSTGRES ? "restoring it" : "restarting it") + " failed: "
                        + e.getMessage().replaceAll("[.\\s]+$", "") + ". " + whatToDo(d));
            }
            DatastoreProbe.Answer again = probe.check(d);
            if (!again.ok()) {
                throw new StepFailure(seen + "; " + done + "; but checked again: " + again.seen());
            }
            return seen + "; " + done + "; checked again: " + again.seen();
        });
    }

    private static String whatToDo(DatastoreConfig d) {
        if (d.type() == DatastoreType.POSTGRES) {
            return "The runbook restores the latest backup" + d.backups().map(b -> " (" + b + ")").orElse("")
                    + " now: restore " + d.name() + " by hand and check it.";
        }
        return "The runbook restarts Redis now: restart " + d.container().map(c -> "container " + c).orElse(d.name())
                + " by hand and check it answers PONG.";
    }

}
