package dev.rollbackbot.slack;

/** Slack mrkdwn helpers, used only at the edge (mrkdwn): escaping, quoting user input, shortening. */
public final class Text {
    private Text() {
    }

    /** Escapes the three characters Slack treats as markup, so user text can never mention @channel or link. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** User input as inline code: escaped, backticks removed, cut to {@code max} characters. */
    public static String quote(String userText, int max) {
        String clean = shorten(userText.replace("`", "'").replaceAll("\\p{Cntrl}", " "), max);
        return "`" + escape(clean) + "`";
    }

    /** Cuts to {@code max} code points with an ellipsis, never inside an entity ({@code &amp;}) or a {@code <...>}. */
    public static String shorten(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, max - 1);
        String kept = s.substring(0, end);
        int amp = kept.lastIndexOf('&');
        if (amp >= 0 && kept.indexOf(';', amp) < 0 && amp >= end - 8) {
            kept = kept.substring(0, amp);
        }
        int lt = kept.lastIndexOf('<');
        if (lt >= 0 && kept.indexOf('>', lt) < 0) {
            kept = kept.substring(0, lt);
        }
        return kept + "…";
    }

    /** Trusted text as inline code (names from the configuration, image references). */
    public static String code(String trusted) {
        return "`" + escape(trusted) + "`";
    }

    public static String user(String userId) {
        return "<@" + userId + ">";
    }

    /** Who opened an incident: a person as a mention, anything else in words. */
    public static String requester(dev.rollbackbot.core.Requester r) {
        return switch (r.kind()) {
            case PERSON -> user(r.id());
            case MONITOR -> "🤖 the health monitor";
            case DRILL -> "🧪 a drill";
            case DEPLOY -> "📦 a deploy notification";
        };
    }

    /** A user id (U..., W...), a user group id (S...) or a channel id (C..., G...) as a Slack mention. */
    public static String mention(String id) {
        if (id.startsWith("C") || id.startsWith("G")) {
            return "<#" + id + ">";
        }
        return id.startsWith("S") ? "<!subteam^" + id + ">" : "<@" + id + ">";
    }
}
