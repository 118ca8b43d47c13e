package dev.rollbackbot.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a process's stream on its own thread so the process never blocks on it, keeping the last few kilobytes. */
final class Drain {
    private static final int KEEP = 4_000;
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;

    private Drain(InputStream in) {
        thread = new Thread(() -> {
            byte[] buf = new byte[8192];
            int n;
            try (in) {
                while ((n = in.read(buf)) > 0) {
                    synchronized (text) {
                        text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (text.length() > KEEP * 2) {
                            text.delete(0, text.length() - KEEP);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "process-output");
        thread.setDaemon(true);
        thread.start();
    }

    static Drain of(InputStream in) {
        return new Drain(in);
    }

    /** What was read, after the stream ended (waits up to 5 s for it), cut to its last {@value #KEEP} characters. */
    String text() {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (text) {
            String s = text.toString().strip();
            return s.length() > KEEP ? "…" + s.substring(s.length() - KEEP) : s;
        }
    }
}
