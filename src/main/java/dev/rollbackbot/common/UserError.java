package dev.rollbackbot.common;

/**
 * An expected problem, with a message written for the person who typed or clicked: what was wrong and what to
 * do instead. Messages use Slack mrkdwn and never echo unescaped user text.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
