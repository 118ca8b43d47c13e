package dev.rollbackbot.escalation;

import dev.rollbackbot.common.Message;
import dev.rollbackbot.config.EscalationLevel;
import dev.rollbackbot.incident.Incident;
import java.time.Duration;
import java.util.Optional;

/**
 * One page of one level, free of chat: what each channel (thread, DM, email) tells the level's people.
 *
 * @param pageNo       1-based count of pages of this escalation (the last level repeats, so it can exceed the levels)
 * @param happened     what happened, for people
 * @param openFor      how long the escalation has been open
 * @param waitingOn    when the approval is still pending: who it waits on
 * @param link         a link to the incident's card, or empty when there is none yet
 */
public record Page(Incident incident, EscalationLevel level, int pageNo, Message happened, Duration openFor,
        Optional<Message> waitingOn, Optional<String> link) {
}
