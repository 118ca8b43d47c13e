package dev.rollbackbot.nginx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An nginx site file's {@code proxy_pass http://<upstream>} lines: which colour is live, and the file switched to another. */
public record SiteFile(String text) {
    private static final Pattern PROXY_PASS = Pattern.compile("(proxy_pass\\s+https?://)([A-Za-z0-9_.-]+)");

    /** The upstream names the file's proxy_pass lines name, in order of first appearance. */
    public List<String> upstreams() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PROXY_PASS.matcher(text);
        while (m.find()) {
            out.add(m.group(2));
        }
        return new ArrayList<>(out);
    }

    /** The one colour of {@code colours} the file sends traffic to; a message saying what was found otherwise. */
    public String liveColour(List<String> colours, String path) {
        List<String> named = upstreams().stream().filter(colours::contains).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        String found = upstreams().isEmpty() ? "no proxy_pass line at all" : "proxy_pass to " + String.join(", ", upstreams());
        String which = named.isEmpty() ? "neither " + String.join(" nor ", colours) : "both " + String.join(" and ", named);
        throw new dev.rollbackbot.common.UserError("The site file " + path + " sends traffic to " + which + " (found " + found
                + "), so the live colour is not known and nothing was planned. Fix the file so its proxy_pass lines name exactly"
                + " one colour.");
    }

    /** The same file with every proxy_pass to {@code from} sent to {@code to} instead. */
    public SiteFile switched(String from, String to) {
        Matcher m = PROXY_PASS.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (m.group(2).equals(from) ? to : m.group(2))));
        }
        m.appendTail(sb);
        return new SiteFile(sb.toString());
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
