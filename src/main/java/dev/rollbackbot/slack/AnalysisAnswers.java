package dev.rollbackbot.slack;

import dev.rollbackbot.analysis.Analysis;
import dev.rollbackbot.analysis.RollbackStats;
import dev.rollbackbot.common.UserError;
import dev.rollbackbot.incident.Incident;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /rollback stats} and {@code /rollback log}, after the acknowledgement: the figures posted in the channel
 * (they are for the team) with their chart uploaded after them, and an incident's log uploaded as a Markdown file
 * into its card's thread. A failed upload never loses what was already posted: it says what failed.
 */
final class AnalysisAnswers {
    private static final Logger log = LoggerFactory.getLogger(AnalysisAnswers.class);

    private final Analysis analysis;
    private final SlackGateway slack;
    private final StatsRenderer renderer = new StatsRenderer();

    AnalysisAnswers(Analysis analysis, SlackGateway slack) {
        this.analysis = analysis;
        this.slack = slack;
    }

    void stats(Caller who, int days, Consumer<SlackMessage> privately) {
        RollbackStats stats = analysis.stats(days);
        SlackMessage answer = renderer.render(stats);
        String ts;
        try {
            ts = slack.post(who.channelId(), answer, null);
        } catch (SlackCallException e) {
            privately.accept(answer);
            privately.accept(SlackMessage.text("I could not post the stats in this channel (" + Text.escape(e.error())
                    + "), so they are above, only for you, without the chart. Invite the bot here (`/invite @Rollback Bot`)"
                    + " to share them."));
            return;
        }
        if (stats.runs().isEmpty()) {
            return; // the answer says why there is no chart
        }
        String problem;
        try {
            byte[] png = analysis.chart(stats).orElseThrow();
            slack.upload(who.channelId(), null, "rollback-durations-" + days + "d.png",
                    "Rollback run durations, last " + days + " days", png, null);
            return;
        } catch (SlackCallException e) {
            problem = "could not be uploaded: " + e.getMessage() + ". Check that the app has the `files:write` scope";
        } catch (RuntimeException | LinkageError | java.awt.AWTError | InternalError e) { // e.g. no fonts
            log.error("drawing the chart of {} runs failed", stats.runs().size(), e);
            problem = "could not be drawn (" + e.getClass().getSimpleName() + ", in the bot's log)";
        }
        slack.post(who.channelId(), SlackMessage.text("⚠️ The chart of run durations " + Text.escape(problem)
                + ". The figures above are complete."), ts);
    }

    void log(Caller who, long incidentId, Consumer<SlackMessage> privately) {
        Analysis.LogFile file = analysis.log(incidentId).orElseThrow(() -> new UserError("There is no INC-" + incidentId
                + ", so there is no log to upload. `/rollback status` lists the latest incidents."));
        Incident inc = file.incident();
        Optional<String> card = inc.channelId().flatMap(c -> inc.messageTs());
        String channel = card.isPresent() ? inc.channelId().get() : who.channelId();
        try {
            slack.upload(channel, card.orElse(null), file.filename(), inc.ref() + ": " + inc.kind().word() + " rollback of "
                    + inc.target(), file.markdown().getBytes(StandardCharsets.UTF_8), "📄 The log of " + inc.ref()
                    + ", as asked by " + Text.user(who.userId()) + ".");
        } catch (SlackCallException e) {
            throw new UserError("I could not upload the log of " + inc.ref() + ": " + e.getMessage()
                    + ". Check that the app has the files:write scope; `/rollback status " + inc.ref() + "` shows its timeline meanwhile.");
        }
        privately.accept(SlackMessage.text("Uploaded `" + file.filename() + "` " + (card.isPresent() ? "into the thread of "
                + inc.ref() + "'s card." : "here (" + inc.ref() + " has no card).")));
    }
}
