package dev.rollbackbot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.rollbackbot.command.Command;
import dev.rollbackbot.command.CommandParser;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.RollbackService;
import java.util.Optional;

/**
 * {@code /rollback}: parsed and answered on the acknowledgement when no I/O is needed (help, bad input); anything
 * that reads or changes state is acknowledged at once and done by {@link Work}.
 */
final class CommandHandler implements SlashCommandHandler {
    private final CommandParser parser;
    private final BotConfig config;
    private final Planner planner;
    private final RollbackService service;
    private final IncidentStore store;
    private final Timeline timeline;
    private final DeploymentHistory history;
    private final Cards cards;
    private final SlackGateway slack;
    private final Work planning;
    private final Work work;
    private final AnswerRenderer answers = new AnswerRenderer();

    CommandHandler(BotConfig config, Planner planner, RollbackService service, IncidentStore store, Timeline timeline,
            DeploymentHistory history, Cards cards, SlackGateway slack, Work planning, Work work) {
        this.parser = new CommandParser(config);
        this.config = config;
        this.planner = planner;
        this.service = service;
        this.store = store;
        this.timeline = timeline;
        this.history = history;
        this.cards = cards;
        this.slack = slack;
        this.planning = planning;
        this.work = work;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        Command cmd;
        try {
            cmd = parser.parse(p.getText());
        } catch (UserError e) {
            return ephemeral(ctx, SlackMessage.text(e.getMessage()));
        }
        Requester who = new Requester(p.getUserId(), p.getChannelId(), p.getResponseUrl(),
                "cmd:" + Optional.ofNullable(p.getTriggerId()).orElseGet(() -> Requester.digest(p.getUserId() + ":"
                        + req.getHeaders().getFirstValue("X-Slack-Request-Timestamp") + ":" + p.getText())));
        if (cmd instanceof Command.Help h) {
            return ephemeral(ctx, answers.help(h.topic()));
        }
        if (cmd instanceof Command.Oncall) {
            return ephemeral(ctx, answers.oncall(config.escalation()));
        }
        if (cmd instanceof Command.Rollback r) {
            Optional<String> unsupported = planner.unsupported(r.kind(), r.target());
            if (unsupported.isPresent()) {
                return ephemeral(ctx, SlackMessage.text(unsupported.get()));
            }
            planning.submit(who, w -> request(r, w));
            return ephemeral(ctx, answers.requestAcknowledged(r.kind().word(), r.target()));
        }
        if (cmd instanceof Command.Status s) {
            work.submit(who, w -> work.answer(w).accept(status(s)));
        } else if (cmd instanceof Command.History h) {
            work.submit(who, w -> work.answer(w).accept(answers.history(h.service(), store.recent(h.service(), 10),
                    h.service().map(s -> history.recent(s, 10)).orElse(java.util.List.of()))));
        } else if (cmd instanceof Command.Cancel c) {
            work.submit(who, w -> service.cancel(c.incident().number(), w.userId()).reply()
                    .ifPresent(text -> work.answer(w).accept(SlackMessage.text(text))));
        } else {
            return ephemeral(ctx, SlackMessage.text("`/rollback " + word(cmd) + "` is understood but not available yet in this"
                    + " version of the bot. `/rollback help` lists what is."));
        }
        return ctx.ack();
    }

    private void request(Command.Rollback r, Requester who) {
        Incident inc = service.request(r, who.userId(), who.channelId());
        String ts;
        try {
            ts = slack.post(who.channelId(), cards.render(inc), null);
        } catch (SlackCallException e) {
            service.cardFailed(inc.id(), "could not post the approval card: " + e.error());
            throw new UserError("I could not post the approval card for " + inc.ref() + " in this channel (" + e.error()
                    + "), so the request is withdrawn and nothing ran. Invite the bot here (`/invite @Rollback Bot`) or"
                    + " run the command in <#" + config.channel() + ">.");
        }
        service.cardPosted(inc.id(), who.channelId(), ts);
        service.startIfNoApprovalNeeded(store.find(inc.id()).orElseThrow());
    }

    private SlackMessage status(Command.Status s) {
        if (s.incident().isPresent()) {
            long id = s.incident().get().number();
            Incident inc = store.find(id).orElseThrow(() -> new UserError("There is no INC-" + id
                    + ". `/rollback status` lists pending and running incidents."));
            return answers.incident(inc, store.approvers(id), timeline.of(id));
        }
        return answers.status(store.active(), store.recent(Optional.empty(), 10));
    }

    private static String word(Command cmd) {
        if (cmd instanceof Command.Stats) {
            return "stats";
        }
        if (cmd instanceof Command.Ack) {
            return "ack";
        }
        return cmd instanceof Command.Backups ? "backups" : cmd.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static Response ephemeral(SlashCommandContext ctx, SlackMessage m) {
        return ctx.ack(r -> r.responseType("ephemeral").text(m.text()));
    }
}
