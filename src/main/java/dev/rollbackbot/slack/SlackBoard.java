package dev.rollbackbot.slack;

import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.IncidentBoard;

/** The incident board in Slack: a new incident's approval card is posted in the channel the request came from. */
public final class SlackBoard implements IncidentBoard {
    private final SlackGateway slack;
    private final Cards cards;

    public SlackBoard(SlackGateway slack, Cards cards) {
        this.slack = slack;
        this.cards = cards;
    }

    @Override
    public Posted post(Incident incident, String channel) {
        try {
            return new Posted(channel, slack.post(channel, cards.render(incident), null));
        } catch (SlackCallException e) {
            throw new NotPosted(e.error());
        }
    }

    @Override
    public void refresh(Incident incident) {
        if (incident.channelId().isPresent() && incident.messageTs().isPresent()) {
            try {
                slack.update(incident.channelId().get(), incident.messageTs().get(), cards.render(incident));
            } catch (SlackCallException e) {
                org.slf4j.LoggerFactory.getLogger(SlackBoard.class).warn("{}: could not redraw the card: {}", incident.ref(), e.error());
            }
        }
    }
}
