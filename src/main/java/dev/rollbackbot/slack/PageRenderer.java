package dev.rollbackbot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.escalation.Page;
import java.util.List;

/** A page as Slack shows it, in the thread (mentioning the level's people) or as a DM: with the Acknowledge button. */
public final class PageRenderer {
    public static final String ACKNOWLEDGE = "escalation_ack";

    public SlackMessage render(Page p, boolean inThread) {
        var inc = p.incident();
        var level = p.level();
        String who = String.join(" ", level.page().stream().map(Text::mention).toList());
        boolean drill = inc.kind() == dev.rollbackbot.core.RollbackKind.DRILL;
        String head = (drill ? "🧪 *DRILL* · " : "") + "🚨 *" + inc.ref() + " page " + p.pageNo() + ": " + Text.escape(level.name()) + " ("
                + Text.escape(level.role()) + ")*" + (inThread && !who.isEmpty() ? " " + who : "");
        StringBuilder body = new StringBuilder(head).append('\n').append(CheckLines.marked(SlackText.mrkdwn(p.happened())))
                .append("\nOpen for ").append(Durations.human(p.openFor())).append(". Acknowledge within ")
                .append(Durations.format(level.respondWithin()))
                .append(drill ? " or you are paged again (a drill pages L1 only)." : " or the next level is paged.");
        p.waitingOn().ifPresent(w -> body.append("\n⏳ The approval is still waiting on ").append(SlackText.mrkdwn(w)).append('.'));
        String link = p.link().map(l -> "<" + l + "|Open the " + inc.ref() + " card>").orElse("The card is in <#"
                + inc.channelId().orElse("") + ">");
        String text = Text.shorten(body.toString(), 2900);
        return new SlackMessage((drill ? "DRILL " : "") + inc.ref() + " page: " + level.name() + " (" + level.role() + ") " + who + " — acknowledge",
                List.of(section(s -> s.text(markdownText(text))),
                        actions(a -> a.blockId("escalation-" + inc.id()).elements(List.of(
                                button(b -> b.actionId(ACKNOWLEDGE).text(plainText("Acknowledge")).style("primary")
                                        .value(String.valueOf(inc.id())))))),
                        context(c -> c.elements(List.of(markdownText(link))))));
    }
}
