package dev.rollbackbot.testing;

import java.util.Map;

/** One Web API call the bot made to the fake Slack, with its form parameters decoded. */
public record SlackCall(String method, Map<String, String> params) {
    public String param(String name) {
        return params.get(name);
    }

    public String text() {
        return params.getOrDefault("text", "");
    }

    public String blocks() {
        return params.getOrDefault("blocks", "");
    }

    /** Every text inside the blocks, decoded, one per line. */
    public String blocksText() {
        return Json.texts(blocks());
    }

    /** Text and blocks together, for assertions that do not care where a word appears. */
    public String all() {
        return text() + "\n" + blocksText();
    }
}
