package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message in the console's workspace, as Slack keeps it: where, its ts, the thread it belongs to (null for a
 * top-level message), who wrote it, its fallback text and Block Kit blocks (a JSON array, possibly empty), and for an
 * ephemeral message the one user who sees it; {@code files} are the files it shares (a JSON array, possibly empty:
 * {@code id}, {@code name}, {@code title}, {@code mimetype}, {@code url_private}).
 */
record ConsoleMessage(String channel, String ts, String threadTs, String user, String text, JsonNode blocks,
        String visibleTo, boolean edited, JsonNode files) {

    boolean ephemeral() {
        return visibleTo != null;
    }

    boolean visibleTo(String who) {
        return visibleTo == null || visibleTo.equals(who);
    }

    ConsoleMessage edit(String newText, JsonNode newBlocks) {
        return new ConsoleMessage(channel, ts, threadTs, user, newText, newBlocks, visibleTo, true, files);
    }
}
