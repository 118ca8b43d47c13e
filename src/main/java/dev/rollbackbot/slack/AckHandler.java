package dev.rollbackbot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.rollbackbot.escalation.Escalations;
import java.util.Optional;

/** The Acknowledge button of a page (in the thread or a DM): acknowledged at once, recorded by {@link Work}, answered privately. */
final class AckHandler implements BlockActionHandler {
    private final Work work;
    private final Escalations escalations;

    AckHandler(Work work, Escalations escalations) {
        this.work = work;
        this.escalations = escalations;
    }

    @Override
    public Response apply(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String user = p.getUser().getId();
        String channel = p.getChannel() == null ? null : p.getChannel().getId();
        BlockActionPayload.Action action = p.getActions().get(0);
        String key = "act:" + Optional.ofNullable(p.getTriggerId()).orElse(user + ":" + action.getActionTs());
        Caller who = new Caller(user, channel, p.getResponseUrl(), key);
        long id;
        try {
            id = Long.parseLong(action.getValue() == null ? "" : action.getValue().trim());
        } catch (NumberFormatException e) {
            id = -1;
        }
        long incident = id;
        work.submit(who, w -> work.answer(w).accept(SlackMessage.text(incident > 0
                ? SlackText.mrkdwn(escalations.acknowledge(incident, w.userId()))
                : "This button does not name an incident; nothing changed. Use `/rollback status`.")));
        return ctx.ack();
    }
}
