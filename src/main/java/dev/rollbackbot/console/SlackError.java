package dev.rollbackbot.console;

/** A Web API error as Slack names it ({@code channel_not_found}, {@code invalid_auth}, ...): answered {@code ok: false}. */
final class SlackError extends RuntimeException {
    SlackError(String code) {
        super(code, null, false, false);
    }

    String code() {
        return getMessage();
    }
}
