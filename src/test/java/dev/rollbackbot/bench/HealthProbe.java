package dev.rollbackbot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One GET of {@code /health} on a local port over a plain socket (HTTP/1.0): a light probe, so that measuring takes
 * little of the two cores the engine needs (the JDK's HttpClient polling every 5 ms took about half a core, which
 * slowed both swaps and widened their spread).
 */
final class HealthProbe {
    private HealthProbe() {
    }

    /** True when 127.0.0.1:{@code port}/health answers 200 with {@code body} in it (any body when empty). */
    static boolean answers(int port, String body, Duration timeout) {
        int ms = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), ms);
            socket.setSoTimeout(ms);
            socket.getOutputStream().write(("GET /health HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.startsWith("HTTP/1.") && answer.length() > 12 && answer.substring(9).startsWith("200")
                    && answer.contains(body);
        } catch (IOException e) {
            return false; // not up yet
        }
    }
}
