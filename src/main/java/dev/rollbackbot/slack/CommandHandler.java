package dev.rollbackbot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.rollbackbot.command.Command;
import dev.rollbackbot.command.CommandParser;
import dev.rollbackbot.command.Word;
import dev.rollbackbot.common.Message;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.LiveColours;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.rollback.IncidentBoard;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.RollbackService;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

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
    private final LiveColours liveColours;
    private final Work planning;
    private final Work work;
    private final AnswerRenderer answers;
    private final Set<RollbackKind> available;
    private final dev.rollbackbot.escalation.Escalations escalations;
    private final dev.rollbackbot.data.BackupListing backups;
    private final java.util.function.Supplier<java.util.List<dev.rollbackbot.monitor.MonitorView>> monitors;
    private final AnalysisAnswers analysis;

    CommandHandler(BotConfig config, Planner planner, Set<RollbackKind> available, RollbackService service, IncidentStore store,
            Timeline timeline, DeploymentHistory history, LiveColours liveColours, Work planning, Work work,
            dev.rollbackbot.escalation.Escalations escalations, dev.rollbackbot.data.BackupListing backups,
            java.util.function.Supplier<java.util.List<dev.rollbackbot.monitor.MonitorView>> monitors, AnalysisAnswers analysis) {
        this.analysis = analysis;
        this.escalations = escalations;
        this.backups = backups;
        this.monitors = monitors;
        this.parser = new CommandParser(config);
        this.config = config;
        this.planner = planner;
        this.service = service;
        this.store = store;
        this.timeline = timeline;
        this.history = history;
        this.liveColours = liveColours;
        this.planning = planning;
        this.work = work;
        this.answers = new AnswerRenderer(availableWords(available));
        this.available = Set.copyOf(available);
    }

    /** The words that do something in this version: the kinds with a registered procedure, and the commands handled here. */
    static Set<Word> availableWords(Set<RollbackKind> kinds) {
        Set<Word> words = EnumSet.of(Word.STATUS, Word.HISTORY, Word.CANCEL, Word.ONCALL, Word.MONITOR, Word.ACK, Word.HELP,
                Word.STATS, Word.LOG);
        kinds.forEach(k -> Word.of(k.word()).ifPresent(words::add));
        if (kinds.contains(RollbackKind.DATA)) {
            words.add(Word.BACKUPS);
        }
        return words;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        Command cmd;
        try {
            cmd = parser.parse(p.getText());
        } catch (UserError e) {
            return ephemeral(ctx, SlackMessage.text(SlackText.mrkdwn(e.message())));
        }
        Caller who = new Caller(p.getUserId(), p.getChannelId(), p.getResponseUrl(),
                "cmd:" + Optional.ofNullable(p.getTriggerId()).orElseGet(() -> Caller.digest(p.getUserId() + ":"
                        + req.getHeaders().getFirstValue("X-Slack-Request-Timestamp") + ":" + p.getText())));
        if (cmd instanceof Command.Help h) {
            return ephemeral(ctx, answers.help(h.topic()));
        }
        if (cmd instanceof Command.Oncall) {
            // the matrix on the ack; open escalations (a database read), when there are any, follow privately
            work.submit(who, w -> {
                var open = escalations.open();
                if (!open.isEmpty()) {
                    work.answer(w).accept(EscalationAnswers.open(open));
                }
            });
            return ephemeral(ctx, answers.oncall(config.escalation()));
        }
        if (cmd instanceof Command.Monitor) {
            return ephemeral(ctx, MonitorAnswers.of(monitors.get()));
        }
        if (cmd instanceof Command.Ack a) {
            work.submit(who, w -> work.answer(w).accept(SlackMessage.text(SlackText.mrkdwn(
                    escalations.acknowledge(a.incident().number(), w.userId())))));
            return ephemeral(ctx, SlackMessage.text("Got it: acknowledging " + a.incident() + "…"));
        }
        if (cmd instanceof Command.Rollback r) {
            Optional<String> unsupported = planner.unsupported(r.kind(), r.target());
            if (unsupported.isPresent()) {
                return ephemeral(ctx, SlackMessage.text(SlackText.mrkdwn(unsupported.get())));
            }
            if (r.backup().isPresent()) {
                try {
                    backups.checkName(r.target(), r.backup().get()); // a stat of one file: a name leading out is refused here
                } catch (UserError e) {
                    return ephemeral(ctx, SlackMessage.text(SlackText.mrkdwn(e.message())));
                }
            }
            planning.submit(who, w -> request(r, w));
            return ephemeral(ctx, answers.requestAcknowledged(r.kind().word(), r.target()));
        }
        if (cmd instanceof Command.Backups b && available.contains(RollbackKind.DATA)) {
            work.submit(who, w -> work.answer(w).accept(SlackMessage.text(SlackText.mrkdwn(backups.list(b.datastore())))));
            return ephemeral(ctx, SlackMessage.text("Got it: listing the backups of `" + b.datastore() + "`…"));
        }
        if (cmd instanceof Command.Status s) {
            work.submit(who, w -> work.answer(w).accept(status(s)));
            return ephemeral(ctx, SlackMessage.text(s.incident().map(i -> "Got it: looking up " + i + "…").orElse("Got it: looking up what is pending or running…")));
        }
        if (cmd instanceof Command.History h) {
            work.submit(who, w -> work.answer(w).accept(answers.history(h.service(), store.recent(h.service(), 10),
                    h.service().map(s -> history.recent(s, 10)).orElse(java.util.List.of()), h.service().flatMap(liveColours::of))));
            return ephemeral(ctx, SlackMessage.text("Got it: looking up the history" + h.service().map(s -> " of `" + s + "`").orElse("") + "…"));
        }
        if (cmd instanceof Command.Stats st) {
            work.submit(who, w -> analysis.stats(w, st.days(), work.answer(w)));
            return ephemeral(ctx, SlackMessage.text("Got it: working out the rollbacks of the last " + st.days() + " days for this channel…"));
        }
        if (cmd instanceof Command.Log l) {
            work.submit(who, w -> analysis.log(w, l.incident().number(), work.answer(w)));
            return ephemeral(ctx, SlackMessage.text("Got it: uploading the log of " + l.incident() + "…"));
        }
        if (cmd instanceof Command.Cancel c) {
            work.submit(who, w -> service.cancel(c.incident().number(), w.userId()).reply()
                    .ifPresent(m -> work.answer(w).accept(SlackMessage.text(SlackText.mrkdwn(m)))));
            return ephemeral(ctx, SlackMessage.text("Got it: cancelling " + c.incident() + "…"));
        }
        return ephemeral(ctx, SlackMessage.text("`/rollback " + word(cmd) + "` is understood but not available yet in this"
                + " version of the bot. `/rollback help` lists what is."));
    }

    private void request(Command.Rollback r, Caller who) {
        try {
            service.open(new RollbackRequest(r.kind(), r.target(), r.toVersion(), r.backup(), r.reason(),
                    Requester.person(who.userId()), who.channelId()));
        } catch (IncidentBoard.NotPosted e) {
            throw new UserError(Message.text("I could not post the approval card in this channel (" + e.reason() + "), so the"
                    + " request is withdrawn and nothing ran. Invite the bot here (`/invite @Rollback Bot`) or run the command in ")
                    .mention(config.channel()).then("."));
        }
    }

    private SlackMessage status(Command.Status s) {
        if (s.incident().isPresent()) {
            long id = s.incident().get().number();
            Incident inc = store.find(id).orElseThrow(() -> new UserError("There is no INC-" + id
                    + ". `/rollback status` lists pending and running incidents."));
            return answers.incident(inc, store.approvers(id), timeline.of(id));
        }
        return answers.status(store.active(), store.recent(Optional.empty(), 10), liveColours.all());
    }

    private static String word(Command cmd) {
        if (cmd instanceof Command.Ack) {
            return "ack";
        }
        return cmd instanceof Command.Backups ? "backups" : cmd.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static Response ephemeral(SlashCommandContext ctx, SlackMessage m) {
        return ctx.ack(r -> r.responseType("ephemeral").text(m.text()));
    }
}
