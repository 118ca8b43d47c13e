package dev.rollbackbot.rollback;

import dev.rollbackbot.common.Message;
import dev.rollbackbot.incident.Incident;
import java.util.Optional;

/** What a click or a command did to an incident, with what to tell the person who clicked (if anything). */
public record Decision(Outcome outcome, Incident incident, Optional<Message> reply) {
    public enum Outcome {
        APPROVAL_RECORDED,
        STARTED,
        DENIED,
        CANCELLED,
        REFUSED
    }

    static Decision of(Outcome o, Incident inc, Message reply) {
        return new Decision(o, inc, Optional.ofNullable(reply));
    }

    static Decision of(Outcome o, Incident inc, String reply) {
        return new Decision(o, inc, Optional.ofNullable(reply).map(Message::text));
    }
}
