package dev.rollbackbot.procedures;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.DatastoreProbe;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import java.util.List;

/**
 * The emergency procedure's datastore steps: PostgreSQL ready? Redis PONG? The runbook then restores or restarts
 * the datastore; until data rollbacks arrive the step fails and says what to do by hand.
 */
public final class DatastoreChecks {
    private final BotConfig config;
    private final DatastoreProbe probe;

    public DatastoreChecks(BotConfig config, DatastoreProbe probe) {
        this.config = config;
        this.probe = probe;
    }

    public List<Step> stepsFor(ServiceConfig s) {
        return s.dependsOn().stream().map(name -> config.datastore(name).orElseThrow()).map(this::step).toList();
    }

    private Step step(DatastoreConfig d) {
        String what = d.type() == DatastoreType.POSTGRES ? "PostgreSQL accepts connections" : "Redis answers PONG";
        return Step.of("Check " + d.name() + ": " + what, false, () -> {
            DatastoreProbe.Answer a = probe.check(d);
            if (a.ok()) {
                return a.seen();
            }
            throw new StepFailure(d.name() + ": " + a.seen().replaceAll("[.\\s]+$", "") + ". " + whatToDo(d));
        });
    }

    private static String whatToDo(DatastoreConfig d) {
        if (d.type() == DatastoreType.POSTGRES) {
            return "The runbook restores the latest backup" + d.backups().map(b -> " (" + b + ")").orElse("")
                    + " now; automatic restores arrive with data rollbacks, so restore " + d.name() + " by hand and check it.";
        }
        return "The runbook restarts Redis now; automatic restarts arrive with data rollbacks, so restart "
                + d.container().map(c -> "container " + c).orElse(d.name()) + " by hand and check it answers PONG.";
    }
}
