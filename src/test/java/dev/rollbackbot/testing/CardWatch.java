package dev.rollbackbot.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waits on what a bot posted to the fake Slack: its cards, their redraws and thread replies, its private answers. */
public final class CardWatch {
    private final FakeSlack slack;
    private final Duration wait;

    public CardWatch(FakeSlack slack, Duration wait) {
        this.slack = slack;
        this.wait = wait;
    }

    /** Waits for the n-th (0-based) approval card of {@code target} and returns its ts. */
    public String awaitCard(String target, int nth) {
        String needle = "rollback of " + target + " requested";
        await().atMost(wait).alias("approval card #" + nth + " for " + target).until(() ->
                slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).count() > nth);
        return slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).toList().get(nth).ts();
    }

    /** The incident number shown on the card posted at {@code ts}. */
    public long incidentOf(String ts) {
        String text = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().text();
        Matcher m = Pattern.compile("INC-(\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no incident id on card: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** Waits until some thread reply of the card contains {@code text}. */
    public void awaitReply(String ts, String text) {
        await().atMost(wait).alias("a reply containing '" + text + "' in thread " + ts)
                .until(() -> slack.threadReplies(ts).stream().anyMatch(c -> c.text().contains(text)));
    }

    /** Waits until the card was last redrawn with {@code text} in it. */
    public void awaitCardShows(String ts, String text) {
        await().atMost(wait).alias("card " + ts + " showing '" + text + "'").until(() -> {
            List<SlackCall> u = slack.updates(ts);
            return !u.isEmpty() && u.get(u.size() - 1).all().contains(text);
        });
    }

    /** Waits for an ephemeral answer to {@code responseUrl} and returns it. */
    public String awaitResponse(String responseUrl) {
        await().atMost(wait).alias("an answer at " + responseUrl).until(() -> !slack.responsesTo(responseUrl).isEmpty());
        return String.join("\n", slack.responsesTo(responseUrl).stream().map(Json::texts).toList());
    }
}
