package dev.rollbackbot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.incident.DeliveryLog;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.LiveColours;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.RollbackService;
import dev.rollbackbot.core.RollbackKind;
import java.time.Clock;
import java.util.Set;
import java.time.Duration;

/** The Bolt app: the only place Slack requests come in. Builds the handlers and the middleware around them. */
public final class SlackEdge {
    public static final String COMMAND = "/rollback";

    private final App app;
    private final Work planning;
    private final Work quick;

    /** The parts of the domain the edge talks to. */
    public record Domain(BotConfig config, Planner planner, Set<RollbackKind> available, RollbackService service,
            IncidentStore store, Timeline timeline, DeploymentHistory history, DeliveryLog deliveries,
            dev.rollbackbot.escalation.Escalations escalations, LiveColours liveColours, dev.rollbackbot.data.BackupListing backups,
            java.util.function.Supplier<java.util.List<dev.rollbackbot.monitor.MonitorView>> monitors,
            dev.rollbackbot.analysis.Analysis analysis) {
    }

    public SlackEdge(Slack slack, String signingSecret, String botToken, SlackGateway gateway, Domain d, Clock clock) {
        // auth.test once at start, never again on a request's 3-second path (Bolt's default re-checks every 10 min)
        AppConfig.AppConfigBuilder b = AppConfig.builder().slack(slack).singleTeamBotToken(botToken)
                .authTestCacheExpirationMillis(-1);
        if (signingSecret != null) {
            b.signingSecret(signingSecret);
        } else {
            b.requestVerificationEnabled(false);
        }
        this.app = new App(b.build());
        // planning talks to the engine and can be slow when it is; clicks, cancels and status never wait behind it
        this.planning = new Work("slack-plan", 6, d.deliveries(), gateway, clock);
        this.quick = new Work("slack-work", 6, d.deliveries(), gateway, clock);
        app.use(SlackMiddleware.rejectFutureTimestamps(clock));
        app.use(SlackMiddleware.ignoreRetries());
        app.command(COMMAND, new CommandHandler(d.config(), d.planner(), d.available(), d.service(), d.store(), d.timeline(),
                d.history(), d.liveColours(), planning, quick, d.escalations(), d.backups(), d.monitors(),
                new AnalysisAnswers(d.analysis(), gateway)));
        app.blockAction(CardRenderer.APPROVE, DecisionHandler.approve(quick, d.service()));
        app.blockAction(CardRenderer.DENY, DecisionHandler.deny(quick, d.service()));
        app.blockAction(PageRenderer.ACKNOWLEDGE, new AckHandler(quick, d.escalations()));
    }

    public App app() {
        return app;
    }

    public void shutdown(Duration timeout) {
        planning.shutdown(timeout);
        quick.shutdown(timeout);
        app.stop();
    }
}
