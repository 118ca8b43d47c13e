package dev.rollbackbot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.incident.DeliveryLog;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.RollbackService;
import java.time.Clock;
import java.time.Duration;

/** The Bolt app: the only place Slack requests come in. Builds the handlers and the middleware around them. */
public final class SlackEdge {
    public static final String COMMAND = "/rollback";

    private final App app;
    private final Work work;

    /** The parts of the domain the edge talks to. */
    public record Domain(BotConfig config, Planner planner, RollbackService service, IncidentStore store, Timeline timeline,
            DeploymentHistory history, DeliveryLog deliveries, Cards cards) {
    }

    public SlackEdge(Slack slack, String signingSecret, String botToken, SlackGateway gateway, Domain d, Clock clock) {
        AppConfig.AppConfigBuilder b = AppConfig.builder().slack(slack).singleTeamBotToken(botToken);
        if (signingSecret != null) {
            b.signingSecret(signingSecret);
        } else {
            b.requestVerificationEnabled(false);
        }
        this.app = new App(b.build());
        this.work = new Work(8, d.deliveries(), gateway, clock);
        app.use(SlackMiddleware.rejectFutureTimestamps(clock));
        app.use(SlackMiddleware.ignoreRetries());
        app.command(COMMAND, new CommandHandler(d.config(), d.planner(), d.service(), d.store(), d.timeline(), d.history(),
                d.cards(), gateway, work));
        app.blockAction(CardRenderer.APPROVE, DecisionHandler.approve(work, d.service()));
        app.blockAction(CardRenderer.DENY, DecisionHandler.deny(work, d.service()));
    }

    public App app() {
        return app;
    }

    public void shutdown(Duration timeout) {
        work.shutdown(timeout);
        app.stop();
    }
}
