package dev.rollbackbot.slack;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.Planner;
import java.util.List;

/** Builds the approval card of an incident from the store (state, approvals, timeline) and its plan. */
public final class Cards {
    private final IncidentStore store;
    private final Timeline timeline;
    private final Planner planner;
    private final BotConfig config;
    private final String approvers;
    private final CardRenderer renderer = new CardRenderer();

    public Cards(IncidentStore store, Timeline timeline, Planner planner, BotConfig config, dev.rollbackbot.common.Message approvers) {
        this.store = store;
        this.timeline = timeline;
        this.planner = planner;
        this.config = config;
        this.approvers = SlackText.mrkdwn(approvers);
    }

    public SlackMessage render(Incident inc) {
        return renderer.render(new CardView(inc, plan(inc), store.approvers(inc.id()), timeline.of(inc.id()), approvers,
                config.service(inc.target()).map(s -> s.describeTarget())
                        .or(() -> config.datastore(inc.target()).map(d -> d.type().product() + " " + d.describeLocation()))
                        .orElse(inc.target())));
    }

    public int planSize(Incident inc) {
        return plan(inc).size();
    }

    private List<String> plan(Incident inc) {
        if (inc.fromVersion().isEmpty() || inc.toVersion().isEmpty()) {
            return List.of();
        }
        return planner.plan(inc).titles();
    }
}
