package dev.rollbackbot.rollback;

import dev.rollbackbot.incident.Incident;

/**
 * Where incidents are shown to people: the port the chat edge implements. The domain asks it to post a new incident's
 * card; everything after that (thread replies, redraws) follows the incident's events.
 */
public interface IncidentBoard {
    /** Where a card was posted: its thread is the incident's thread. */
    record Posted(String channel, String ts) {
    }

    /** Posts the card of a new incident in {@code channel}; throws {@link NotPosted} with the reason when it cannot. */
    Posted post(Incident incident, String channel);

    /**
     * Redraws a posted card from the incident as it is now: for an incident whose state changed while its card was
     * being posted (expired, started), whose events found no card to update yet.
     */
    default void refresh(Incident incident) {
    }

    /** The card could not be posted (e.g. the bot is not in the channel). */
    final class NotPosted extends RuntimeException {
        private final String reason;

        public NotPosted(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
