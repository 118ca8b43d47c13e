package dev.rollbackbot.escalation;

import dev.rollbackbot.incident.EventType;
import java.util.List;

/** One way of reaching people (Slack thread and DMs, email): sends a page and says what happened per recipient. */
public interface Pager {
    List<Delivery> send(Page page);

    /** One channel's outcome: {@code PAGE_THREAD}, {@code PAGE_DM}, {@code PAGE_EMAIL} or {@code PAGE_FAILED}. */
    record Delivery(EventType type, String actor, String detail) {
        public static Delivery failed(String channel, String why) {
            return new Delivery(EventType.PAGE_FAILED, null, channel + ": " + why);
        }
    }
}
