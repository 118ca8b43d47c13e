package dev.rollbackbot.common;

/**
 * An expected problem, with a message written for the person who typed or clicked: what was wrong and what to do
 * instead. The message is a {@link Message}: plain text with typed code and mentions, formatted (and escaped) only by
 * the edge that shows it; {@link #getMessage()} is its plain form.
 */
public class UserError extends RuntimeException {
    private final transient Message message;

    public UserError(String plain) {
        this(Message.text(plain));
    }

    public UserError(Message message) {
        super(message.plain(), null, false, false);
        this.message = message;
    }

    public Message message() {
        return message;
    }
}
