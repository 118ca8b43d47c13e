package dev.rollbackbot.slack;

import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.TimelineEvent;
import java.util.List;

/** Everything the approval card shows, read fresh from the store each time the card is drawn. */
public record CardView(Incident incident, List<String> plan, List<String> approvedBy, List<TimelineEvent> timeline,
        String approvers, String targetDescription) {
    public CardView {
        plan = List.copyOf(plan);
        approvedBy = List.copyOf(approvedBy);
        timeline = List.copyOf(timeline);
    }
}
