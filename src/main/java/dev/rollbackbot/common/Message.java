package dev.rollbackbot.common;

import java.util.ArrayList;
import java.util.List;

/**
 * A message for people, written by the domain without knowing where it is shown: plain text, code (names, versions,
 * commands, quoted user input) and mentions of users or groups. Only a renderer at the edge turns it into markup
 * (Slack's mrkdwn, escaped there); {@link #plain()} is the form for logs and the incident record.
 */
public final class Message {
    /** One piece of a message. */
    public sealed interface Part permits Plain, Code, Mention {
    }

    /** Text as written; a renderer escapes it. Backticks around a command are kept as written. */
    public record Plain(String text) implements Part {
    }

    /** A name, version or command, or user input quoted as code. */
    public record Code(String text) implements Part {
    }

    /** A user (U..., W...), user group (S...) or channel (C..., G...) id. */
    public record Mention(String id) implements Part {
    }

    private final List<Part> parts;

    private Message(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static Message text(String plain) {
        return new Message(List.of(new Plain(plain)));
    }

    public static Message empty() {
        return new Message(List.of());
    }

    public List<Part> parts() {
        return parts;
    }

    public Message then(String plain) {
        return with(new Plain(plain));
    }

    public Message code(String name) {
        return with(new Code(name));
    }

    /** User input as code: control characters and backticks removed, cut to {@code max} code points. */
    public Message quote(String userText, int max) {
        String clean = userText.replace("`", "'").replaceAll("\\p{Cntrl}", " ");
        return with(new Code(shorten(clean, max)));
    }

    public Message mention(String id) {
        return with(new Mention(id));
    }

    public Message then(Message more) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(more.parts);
        return new Message(all);
    }

    /** Joins messages with {@code separator} between them. */
    public static Message join(String separator, List<Message> messages) {
        Message m = empty();
        for (int i = 0; i < messages.size(); i++) {
            m = i == 0 ? m.then(messages.get(i)) : m.then(separator).then(messages.get(i));
        }
        return m;
    }

    /** Plain text: code as {@code `x`}, mentions as {@code @U123}. */
    public String plain() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Plain t) {
                sb.append(t.text());
            } else if (p instanceof Code c) {
                sb.append('`').append(c.text()).append('`');
            } else if (p instanceof Mention m) {
                sb.append('@').append(m.id());
            }
        }
        return sb.toString();
    }

    private Message with(Part p) {
        List<Part> all = new ArrayList<>(parts);
        all.add(p);
        return new Message(all);
    }

    static String shorten(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return plain();
    }
}
