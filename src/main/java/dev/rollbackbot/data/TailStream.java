package dev.rollbackbot.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through, keeping its end in a {@link Tail} (to check pg_dump's completion marker on the way). */
final class TailStream extends FilterInputStream {
    private final Tail tail;

    TailStream(InputStream in, Tail tail) {
        super(in);
        this.tail = tail;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (off == 0) {
                tail.add(b, n);
            } else {
                tail.add(java.util.Arrays.copyOfRange(b, off, off + n), n);
            }
        }
        return n;
    }
}
