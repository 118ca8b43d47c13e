package dev.rollbackbot.slack;

import dev.rollbackbot.common.Message;

/** Domain messages as Slack mrkdwn: plain text escaped, code in backticks, mentions as Slack writes them. */
public final class SlackText {
    private SlackText() {
    }

    public static String mrkdwn(Message m) {
        StringBuilder sb = new StringBuilder();
        for (Message.Part p : m.parts()) {
            if (p instanceof Message.Plain t) {
                sb.append(Text.escape(t.text()));
            } else if (p instanceof Message.Code c) {
                sb.append(Text.code(c.text().replace("`", "'")));
            } else if (p instanceof Message.Mention who) {
                sb.append(Text.mention(who.id()));
            }
        }
        return sb.toString();
    }

    /** Plain domain text (a timeline detail, a step title) as mrkdwn. */
    public static String mrkdwn(String plain) {
        return Text.escape(plain);
    }
}
