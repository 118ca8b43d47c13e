package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The console's Slack workspace: one channel, a DM per person, and the messages in them, with a version that grows
 * with every change (the page polls it). Posting and editing follow Slack's rules: a reply's {@code thread_ts} is a
 * top-level message, only the bot's own non-ephemeral messages can be updated, an ephemeral message goes to one user.
 */
final class Workspace {
    private final String channel;
    private final People people;
    private final Clock clock;
    private final Map<String, String> channels = new LinkedHashMap<>();
    private final List<ConsoleMessage> messages = new ArrayList<>();
    private long lastMicros;
    private long version;
    private boolean closed;

    Workspace(String channel, People people, Clock clock) {
        this.channel = channel;
        this.people = people;
        this.clock = clock;
        channels.put(channel, "#" + channel.replaceFirst("^C0?", "").toLowerCase(Locale.ROOT));
        for (People.Person p : people.actors()) {
            channels.put(dmOf(p.id()), p.name());
        }
    }

    String channel() {
        return channel;
    }

    People people() {
        return people;
    }

    /** A DM's id: {@code D} and the user's id, padded to the length of Slack's ids. */
    static String dmOf(String user) {
        return "D" + user + "0".repeat(Math.max(0, 8 - user.length()));
    }

    synchronized Map<String, String> channels() {
        return new LinkedHashMap<>(channels);
    }

    synchronized boolean hasChannel(String id) {
        return channels.containsKey(id);
    }

    /** The DM channel with {@code user} ({@code conversations.open}). */
    synchronized String openDm(String user) {
        People.Person p = people.user(user).orElseThrow(() -> new SlackError("user_not_found"));
        String dm = dmOf(p.id());
        channels.putIfAbsent(dm, p.name());
        return dm;
    }

    /** A new message (a reply when {@code threadTs} is given); returns it with its ts. */
    synchronized ConsoleMessage post(String in, String user, String text, JsonNode blocks, String threadTs, String visibleTo) {
        return add(in, user, text, blocks, threadTs, visibleTo, JsonNodeFactory.instance.arrayNode());
    }

    /** A message sharing uploaded files ({@code files.completeUploadExternal} with a channel): the comment and the files. */
    synchronized ConsoleMessage share(String in, String user, String comment, JsonNode files, String threadTs) {
        return add(in, user, comment, JsonNodeFactory.instance.arrayNode(), threadTs, null, files);
    }

    private ConsoleMessage add(String in, String user, String text, JsonNode blocks, String threadTs, String visibleTo, JsonNode files) {
        requireChannel(in);
        if (threadTs != null) {
            ConsoleMessage parent = find(in, threadTs).orElseThrow(() -> new SlackError("thread_not_found"));
            threadTs = parent.threadTs() != null ? parent.threadTs() : parent.ts(); // Slack files a reply to a reply under the parent
        }
        ConsoleMessage m = new ConsoleMessage(in, nextTs(), threadTs, user, text, blocks, visibleTo, false, files);
        messages.add(m);
        version++;
        notifyAll();
        return m;
    }

    /** Redraws a message the bot posted ({@code chat.update}). */
    synchronized ConsoleMessage update(String in, String ts, String text, JsonNode blocks) {
        requireChannel(in);
        for (int i = 0; i < messages.size(); i++) {
            ConsoleMessage m = messages.get(i);
            if (m.channel().equals(in) && m.ts().equals(ts)) {
                if (m.ephemeral() || !People.BOT.equals(m.user())) {
                    throw new SlackError("cant_update_message");
                }
                ConsoleMessage edited = m.edit(text, blocks);
                messages.set(i, edited);
                version++;
                notifyAll();
                return edited;
            }
        }
        throw new SlackError("message_not_found");
    }

    synchronized Optional<ConsoleMessage> find(String in, String ts) {
        return messages.stream().filter(m -> m.channel().equals(in) && m.ts().equals(ts)).findFirst();
    }

    synchronized long version() {
        return version;
    }

    /** Waits up to {@code millis} for a version after {@code seen}; returns the version then. */
    synchronized long awaitChange(long seen, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (version == seen && !closed) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return version;
    }

    /** Lets every page waiting for a change go, so that the server can stop at once. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Every message {@code user} can see, in the order they were posted. */
    synchronized List<ConsoleMessage> visibleTo(String user) {
        return messages.stream().filter(m -> m.visibleTo(user)).toList();
    }

    private void requireChannel(String id) {
        if (id == null || id.isBlank()) {
            throw new SlackError("channel_not_found");
        }
        if (!channels.containsKey(id)) {
            throw new SlackError("channel_not_found");
        }
    }

    /** Slack's ts: seconds and microseconds, unique and increasing within the workspace. */
    private String nextTs() {
        long micros = Math.max(clock.millis() * 1000, lastMicros + 1);
        lastMicros = micros;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }
}
