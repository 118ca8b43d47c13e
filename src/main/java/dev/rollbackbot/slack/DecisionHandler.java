package dev.rollbackbot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.rollbackbot.rollback.Decision;
import dev.rollbackbot.rollback.RollbackService;
import java.util.Optional;
import java.util.function.BiFunction;

/** The Approve and Deny buttons: acknowledged at once; the decision is made by {@link Work} and answered privately. */
final class DecisionHandler implements BlockActionHandler {
    private final Work work;
    private final BiFunction<Long, String, Decision> decide;

    private DecisionHandler(Work work, BiFunction<Long, String, Decision> decide) {
        this.work = work;
        this.decide = decide;
    }

    static DecisionHandler approve(Work work, RollbackService service) {
        return new DecisionHandler(work, service::approve);
    }

    static DecisionHandler deny(Work work, RollbackService service) {
        return new DecisionHandler(work, service::deny);
    }

    @Override
    public Response apply(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String user = p.getUser().getId();
        String channel = p.getChannel() == null ? null : p.getChannel().getId();
        BlockActionPayload.Action action = p.getActions().get(0);
        String key = "act:" + Optional.ofNullable(p.getTriggerId()).orElse(user + ":" + action.getActionTs());
        Caller who = new Caller(user, channel, p.getResponseUrl(), key);
        Optional<Long> id = incidentId(action.getValue());
        if (id.isEmpty()) {
            work.submit(who, w -> work.answer(w).accept(SlackMessage.text(
                    "This button does not name an incident; nothing changed. Use `/rollback status`.")));
            return ctx.ack();
        }
        work.submit(who, w -> decide.apply(id.get(), w.userId()).reply()
                .ifPresent(m -> work.answer(w).accept(SlackMessage.text(SlackText.mrkdwn(m)))));
        return ctx.ack();
    }

    private static Optional<Long> incidentId(String value) {
        try {
            long id = Long.parseLong(value == null ? "" : value.trim());
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
