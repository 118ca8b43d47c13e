package dev.rollbackbot.common;

/** Small helpers for text shown in Slack (mrkdwn): escaping, quoting user input, shortening. */
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

    /** A user id (U..., W...) or a user group id (S...) as a Slack mention. */
    public static String mention(String id) {
        return id.startsWith("S") ? "<!subteam^" + id + ">" : "<@" + id + ">";
    }
}
