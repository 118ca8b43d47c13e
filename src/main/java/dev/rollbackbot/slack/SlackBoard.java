package dev.rollbackbot.slack;

import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.IncidentBoard;

/** The incident board in Slack: a new incident's approval card is posted in the channel the request came from. */
public final class SlackBoard implements IncidentBoard {
    private final SlackGateway slack;
    private final Cards cards;
    private final SlackReporter reporter;

    public SlackBoard(SlackGateway slack, Cards cards, SlackReporter reporter) {
        this.slack = slack;
        this.cards = cards;
        this.reporter = reporter;
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
        reporter.catchUp(incident.id());
    }
}
