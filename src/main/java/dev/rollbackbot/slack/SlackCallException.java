package dev.rollbackbot.slack;

/** A Web API call failed; {@link #error()} is Slack's error code (e.g. {@code channel_not_found}) or a transport problem. */
public final class SlackCallException extends RuntimeException {
    private final String error;

    public SlackCallException(String method, String error) {
        super(method + " failed: " + error, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
