package dev.rollbackbot.data;

import java.nio.charset.StandardCharsets;

/** The first few and the last {@code size} bytes of a stream, kept while it passes: for completeness checks. */
final class Tail {
    private final byte[] ring;
    private final byte[] head = new byte[16];
    private int headLength;
    private long total;

    Tail(int size) {
        ring = new byte[size];
    }

    void add(byte[] buf, int n) {
        for (int i = 0; i < n && headLength < head.length; i++) {
            head[headLength++] = buf[i];
        }
        int from = Math.max(0, n - ring.length);
        for (int i = from; i < n; i++) {
            ring[(int) (total + i - from) % ring.length] = buf[i];
        }
        total += n - from;
    }

    String text() {
        int len = (int) Math.min(total, ring.length);
        byte[] out = new byte[len];
        long start = total - len;
        for (int i = 0; i < len; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    boolean startedWith(String prefix) {
        return new String(head, 0, headLength, StandardCharsets.US_ASCII).startsWith(prefix);
    }
}
